"""pytorch-ignite: small CNN on synthetic 16x16 "texture" images, one-cycle lr via PiecewiseLinear.

Three texture classes (horizontal stripes, vertical stripes, checkerboard) with random frequency,
phase, contrast and heavy noise. SGD + Nesterov momentum with a PiecewiseLinear warm-up/decay
schedule on the lr, CrossEntropyLoss with label smoothing 0.05, BatchNorm; per-epoch metrics to JSONL.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.99, val_loss 0.10 (chance 0.33), train_loss 0.09 (label smoothing keeps it off zero)
# native-log: cnn_metrics.jsonl
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

import math
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(21)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.handlers import PiecewiseLinear
from ignite.metrics import Accuracy, Loss

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
S = 16


def textures(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    freq = 0.5 + torch.rand(n, 1, 1, generator=g) * 1.0
    phase = torch.rand(n, 1, 1, generator=g) * 2 * math.pi
    amp = 0.4 + 0.6 * torch.rand(n, 1, 1, generator=g)
    ii = torch.arange(S).float().view(1, S, 1)
    jj = torch.arange(S).float().view(1, 1, S)
    horiz = torch.sin(freq * ii + phase).expand(n, S, S)
    vert = torch.sin(freq * jj + phase).expand(n, S, S)
    check = torch.sin(freq * ii + phase) * torch.sin(freq * jj + phase)
    img = torch.where((y == 0).view(n, 1, 1), horiz, torch.where((y == 1).view(n, 1, 1), vert, check * 1.5))
    img = amp * img + 0.9 * torch.randn(n, S, S, generator=g)
    return img.unsqueeze(1), y


g = torch.Generator().manual_seed(0)
Xtr, ytr = textures(2000, g)
Xva, yva = textures(600, g)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 3),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss(label_smoothing=0.05)
train_loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(Xva, yva), batch_size=300)
EPOCHS = 8
n_iter = EPOCHS * len(train_loader)
trainer = create_supervised_trainer(model, opt, criterion)
trainer.add_event_handler(Events.ITERATION_STARTED, PiecewiseLinear(
    opt, "lr", milestones_values=[(0, 0.01), (int(0.3 * n_iter), 0.1), (n_iter, 0.001)]))
evaluator = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(nn.CrossEntropyLoss())})
jsonl = open(os.path.join(LOG_DIR, "cnn_metrics.jsonl"), "w")


@trainer.on(Events.EPOCH_COMPLETED)
def log_results(engine):
    evaluator.run(val_loader)
    rec = {"epoch": engine.state.epoch, "lr": opt.param_groups[0]["lr"], "train_loss": engine.state.output,
           "val_loss": evaluator.state.metrics["loss"], "val_acc": evaluator.state.metrics["accuracy"]}
    jsonl.write(json.dumps(rec) + "\n")
    print(rec)


trainer.run(train_loader, max_epochs=EPOCHS)
jsonl.close()
model.eval()
with torch.no_grad():
    train_loss = nn.functional.cross_entropy(model(Xtr), ytr).item()
m = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["accuracy"], 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.3333}))
