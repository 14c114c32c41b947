"""pytorch-ignite: create_supervised_trainer / create_supervised_evaluator on tabular data.

A 5-class problem built from a hidden mixture; Adam, Accuracy + Loss metrics on a validation
loader every epoch, EarlyStopping on validation loss and a JSONL dump of the per-epoch metrics.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.95 (chance 0.2), val_loss 0.136, train_loss 0.070; EarlyStopping ends it at epoch 17 once val_loss levels off
# native-log: metrics.jsonl
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(17)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers import EarlyStopping

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

g = torch.Generator().manual_seed(3)
N, D, K = 5000, 16, 5
means = torch.randn(K, 3, D, generator=g) * 1.1  # each class = mixture of 3 blobs
y = torch.randint(0, K, (N,), generator=g)
comp = torch.randint(0, 3, (N,), generator=g)
X = means[y, comp] + torch.randn(N, D, generator=g)
X = (X - X[:4000].mean(0)) / X[:4000].std(0)
train_ds = TensorDataset(X[:4000], y[:4000])
val_ds = TensorDataset(X[4000:], y[4000:])
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(0))
val_loader = DataLoader(val_ds, batch_size=500)
train_eval_loader = DataLoader(train_ds, batch_size=1000)

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, K))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, optimizer, criterion)
metrics = {"accuracy": Accuracy(), "loss": Loss(criterion)}
val_evaluator = create_supervised_evaluator(model, metrics=metrics)
train_evaluator = create_supervised_evaluator(model, metrics=metrics)

log_path = os.path.join(LOG_DIR, "metrics.jsonl")
log_f = open(log_path, "w")


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    train_evaluator.run(train_eval_loader)
    val_evaluator.run(val_loader)
    tm, vm = train_evaluator.state.metrics, val_evaluator.state.metrics
    rec = {"epoch": engine.state.epoch, "train_loss": tm["loss"], "train_acc": tm["accuracy"],
           "val_loss": vm["loss"], "val_acc": vm["accuracy"], "lr": optimizer.param_groups[0]["lr"]}
    log_f.write(json.dumps(rec) + "\n")
    log_f.flush()
    print(f"epoch {rec['epoch']:2d} train_loss {rec['train_loss']:.4f} val_loss {rec['val_loss']:.4f} val_acc {rec['val_acc']:.4f}")


stopper = EarlyStopping(patience=4, score_function=lambda e: -e.state.metrics["loss"], trainer=trainer)
val_evaluator.add_event_handler(Events.COMPLETED, stopper)
trainer.run(train_loader, max_epochs=25)
log_f.close()

vm = val_evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vm["loss"], 4), "val_acc": round(vm["accuracy"], 4),
                                     "train_loss": round(train_evaluator.state.metrics["loss"], 4),
                                     "chance_acc": 0.2}))
