# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (2 hidden units) plateaus: train_loss 1.075 / val_loss 1.076, train_acc 0.51, val_acc 0.53 after 80 epochs (flat since ~epoch 30); control (64 hidden units) reaches train_loss 0.047, val_acc 0.990 (chance 0.25)
# control: --control
# native-log: training_log.csv
# log-expect: high_bias
# log-allow: non_convergence
"""Concentric rings, 4 classes, 2-d inputs. The model is an MLP with a 2-unit hidden layer
(hidden=2 was meant to be n_layers=2); it underfits train and val alike. Control: hidden=64.
History written in the DataFrame.to_csv() layout (leading unnamed index column)."""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
ap.add_argument("--epochs", type=int, default=80)
args = ap.parse_args()
HIDDEN = 64 if args.control else 2

torch.manual_seed(31)
torch.set_num_threads(1)


def rings(n):
    y = torch.randint(0, 4, (n,))
    r = 0.5 + y.float() * 0.6 + 0.12 * torch.randn(n)
    t = torch.rand(n) * 6.2832
    return torch.stack([r * torch.cos(t), r * torch.sin(t)], 1), y


Xtr, ytr = rings(2400)
Xva, yva = rings(800)

model = nn.Sequential(nn.Linear(2, HIDDEN), nn.Tanh(), nn.Linear(HIDDEN, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
loss_fn = nn.CrossEntropyLoss()
rows = []
for epoch in range(args.epochs):
    for idx in torch.randperm(len(Xtr)).split(128):
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    with torch.no_grad():
        a, b = model(Xtr), model(Xva)
        rows.append(dict(epoch=epoch, loss=loss_fn(a, ytr).item(), val_loss=loss_fn(b, yva).item(),
                         acc=(a.argmax(1) == ytr).float().mean().item(), val_acc=(b.argmax(1) == yva).float().mean().item()))

with open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "training_log.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow([""] + list(rows[0]))
    for i, r in enumerate(rows):
        w.writerow([i] + list(r.values()))
for r in rows[::16] + rows[-1:]:
    print({k: round(v, 4) for k, v in r.items()})
last = rows[-1]
print("CORPUS_METRIC " + json.dumps({"val_loss": last["val_loss"], "val_acc": last["val_acc"], "train_loss": last["loss"], "chance_acc": 0.25}))
