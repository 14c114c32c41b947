# expect:
# forbid: *
# evidence: 10-class glyphs (chance 0.1), 40 epochs: train_loss 0.0019, val_loss falls at every eval 1.08 -> 0.0038 (minimum at the end), val_acc 1.0 from epoch 4 on
# native-log: tensorboard_logs
# log-expect:
"""Long training (40 epochs) of an MLP on clean-ish 8x8 glyph images: the training loss is driven
to ~0 and the validation loss settles at its minimum (no label noise, classes well separated).
Evaluates the model every 2 epochs on a held-out set."""
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import global_step_from_engine
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss

EPOCHS = 40
torch.set_num_threads(1)
torch.manual_seed(77)
gen = torch.Generator().manual_seed(77)
prototypes = (torch.rand(10, 8, 8, generator=gen) > 0.6).float()


def glyphs(n):
    y = torch.randint(0, 10, (n,), generator=gen)
    x = prototypes[y] + 0.6 * torch.randn(n, 8, 8, generator=gen)
    return x.flatten(1), y


train = TensorDataset(*glyphs(1000))
val = TensorDataset(*glyphs(1000))
train_loader = DataLoader(train, batch_size=125, shuffle=True)
val_loader = DataLoader(val, batch_size=1000)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
ce = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, ce)
metrics = {"loss": Loss(ce), "accuracy": Accuracy()}
evaluator = create_supervised_evaluator(model, metrics=metrics)
train_eval = create_supervised_evaluator(model, metrics=metrics)


@trainer.on(Events.EPOCH_COMPLETED(every=2))
def eval_both(engine):
    evaluator.run(val_loader)
    if engine.state.epoch % 10 == 0:
        train_eval.run(DataLoader(train, batch_size=1000))
        print(f"epoch {engine.state.epoch}: train loss {train_eval.state.metrics['loss']:.5f} | "
              f"val loss {evaluator.state.metrics['loss']:.5f} acc {evaluator.state.metrics['accuracy']:.3f}")


tb = TensorboardLogger(log_dir=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tensorboard_logs"))
tb.attach(trainer, OutputHandler("training", output_transform=lambda loss: {"loss": loss}),
          Events.ITERATION_COMPLETED)
tb.attach(evaluator, OutputHandler("validation", metric_names=["loss", "accuracy"],
                                   global_step_transform=global_step_from_engine(trainer)),
          Events.COMPLETED)
trainer.run(train_loader, max_epochs=EPOCHS)
tb.close()

train_eval.run(DataLoader(train, batch_size=1000))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(evaluator.state.metrics["loss"], 5),
                                     "val_acc": round(evaluator.state.metrics["accuracy"], 4),
                                     "train_loss": round(train_eval.state.metrics["loss"], 5),
                                     "chance_acc": 0.1}))
