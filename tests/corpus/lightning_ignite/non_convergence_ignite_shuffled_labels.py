# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (labels shuffled): train_loss 1.372, val_loss 1.397 >= chance 1.386, val_acc 0.266 (chance 0.25) after 10 epochs; control (aligned labels): val_loss 0.120, val_acc 0.972
# control: --control
# native-log: tb_logs
# log-expect: non_convergence
# log-allow: high_bias, overfitting, high_variance
"""A labelling bug: the label array is shuffled independently of the features (a classic
'sorted one array but not the other' mistake), so labels carry no information about inputs.
--control keeps features and labels aligned."""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import global_step_from_engine
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv

g = torch.Generator().manual_seed(0)
protos = torch.randn(4, 12, generator=g) * 1.2
labels = torch.randint(0, 4, (2500,), generator=g)
feats = protos[labels] + torch.randn(2500, 12, generator=g)
if not CONTROL:
    labels = labels[torch.randperm(2500, generator=g)]          # the bug

train_ds = TensorDataset(feats[:2000], labels[:2000])
val_ds = TensorDataset(feats[2000:], labels[2000:])
train_loader = DataLoader(train_ds, batch_size=100, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=500)

model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, crit)
evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(crit)})


@trainer.on(Events.EPOCH_COMPLETED)
def evaluate(engine):
    evaluator.run(val_loader)
    print("epoch", engine.state.epoch, {k: round(v, 4) for k, v in evaluator.state.metrics.items()})


tb_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb_logs")
logger = TensorboardLogger(log_dir=tb_dir)
logger.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED, tag="training",
                             output_transform=lambda loss: {"batchloss": loss})
logger.attach_output_handler(evaluator, event_name=Events.EPOCH_COMPLETED, tag="validation",
                             metric_names="all", global_step_transform=global_step_from_engine(trainer))

trainer.run(train_loader, max_epochs=10)
logger.close()

with torch.no_grad():
    train_loss = crit(model(feats[:2000]), labels[:2000]).item()
res = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["loss"], 4), "val_acc": round(res["acc"], 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.25,
                                     "chance_loss": 1.3863}))
