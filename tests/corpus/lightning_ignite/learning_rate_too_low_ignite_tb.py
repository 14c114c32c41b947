# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD lr=1e-6: val_loss 1.10762 -> 1.10755 over 8 epochs, val_acc 0.304 (chance 0.333); control lr=5e-2: val_loss 0.526, val_acc 0.782
# control: --control
# native-log: tb
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Teacher-network classification trained with plain SGD at lr=1e-6 (a typo'd exponent).
The learning rate is logged to TensorBoard next to the losses. --control uses lr=5e-2."""
import argparse
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import global_step_from_engine
from ignite.handlers.tensorboard_logger import OptimizerParamsHandler, OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=1e-6)
parser.add_argument("--control", action="store_true")
args = parser.parse_args()
lr = 5e-2 if args.control else args.lr

torch.set_num_threads(1)
torch.manual_seed(30)

# labels from a frozen random "teacher" MLP, balanced by thresholding at quantiles
g = torch.Generator().manual_seed(30)
teacher = nn.Sequential(nn.Linear(10, 20), nn.Tanh(), nn.Linear(20, 1))
with torch.no_grad():
    for p in teacher.parameters():
        p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    X = torch.randn(2500, 10, generator=g)
    score = teacher(X).squeeze(1)
    cuts = torch.quantile(score, torch.tensor([1 / 3, 2 / 3]))
    Y = torch.bucketize(score, cuts)

train_loader = DataLoader(TensorDataset(X[:2000], Y[:2000]), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(X[2000:], Y[2000:]), batch_size=500)

student = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.SGD(student.parameters(), lr=lr, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(student, optimizer, loss_fn)
evaluator = create_supervised_evaluator(student, metrics={"accuracy": Accuracy(), "loss": Loss(loss_fn)})


@trainer.on(Events.EPOCH_COMPLETED)
def validation(engine):
    evaluator.run(val_loader)
    print(f"epoch {engine.state.epoch}: {evaluator.state.metrics}")


tb = TensorboardLogger(log_dir=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=4), tag="training",
                         output_transform=lambda loss: {"loss": loss})
tb.attach_opt_params_handler(trainer, event_name=Events.EPOCH_STARTED, optimizer=optimizer)
tb.attach_output_handler(evaluator, event_name=Events.COMPLETED, tag="validation",
                         metric_names=["loss", "accuracy"], global_step_transform=global_step_from_engine(trainer))

trainer.run(train_loader, max_epochs=8)
tb.close()

with torch.no_grad():
    tl = loss_fn(student(X[:2000]), Y[:2000]).item()
vm = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vm["loss"], 4), "val_acc": round(vm["accuracy"], 4),
                                     "train_loss": round(tl, 4), "chance_acc": 0.3333, "lr": lr}))
