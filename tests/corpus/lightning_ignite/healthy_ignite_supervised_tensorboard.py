# expect:
# forbid: *
# evidence: 4-class blob mixture (chance 0.25): val_loss falls every epoch 1.096 -> 0.194, val_acc 0.936, train_loss 0.194 (no gap)
# native-log: tb
# log-expect:
"""Ignite's create_supervised_trainer / create_supervised_evaluator on a 4-class blob mixture,
with a TensorboardLogger (training loss per iteration, validation metrics per epoch)."""
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
from ignite.utils import manual_seed

torch.set_num_threads(1)
manual_seed(17)

g = torch.Generator().manual_seed(17)
centers = torch.randn(8, 10, generator=g) * 1.4
y_all = torch.randint(0, 4, (2500,), generator=g)
x_all = centers[y_all * 2 + torch.randint(0, 2, (2500,), generator=g)] + torch.randn(2500, 10, generator=g)
train_loader = DataLoader(TensorDataset(x_all[:2000], y_all[:2000]), batch_size=100, shuffle=True)
val_loader = DataLoader(TensorDataset(x_all[2000:], y_all[2000:]), batch_size=500)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

trainer = create_supervised_trainer(model, optimizer, criterion)
val_metrics = {"accuracy": Accuracy(), "loss": Loss(criterion)}
evaluator = create_supervised_evaluator(model, metrics=val_metrics)
train_evaluator = create_supervised_evaluator(model, metrics=val_metrics)


@trainer.on(Events.EPOCH_COMPLETED)
def run_validation(engine):
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    print(f"epoch {engine.state.epoch:2d}  val_loss {m['loss']:.4f}  val_acc {m['accuracy']:.4f}")


log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb")
tb_logger = TensorboardLogger(log_dir=log_dir)
tb_logger.attach(trainer,
                 log_handler=OutputHandler(tag="training", output_transform=lambda loss: {"loss": loss}),
                 event_name=Events.ITERATION_COMPLETED)
tb_logger.attach(evaluator,
                 log_handler=OutputHandler(tag="validation", metric_names=["loss", "accuracy"],
                                           global_step_transform=global_step_from_engine(trainer)),
                 event_name=Events.COMPLETED)

trainer.run(train_loader, max_epochs=10)
tb_logger.close()

train_evaluator.run(DataLoader(TensorDataset(x_all[:2000], y_all[:2000]), batch_size=500))
final = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(final["loss"], 4), "val_acc": round(final["accuracy"], 4),
                                     "train_loss": round(train_evaluator.state.metrics["loss"], 4),
                                     "chance_acc": 0.25}))
