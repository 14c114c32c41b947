# expect: non_convergence
# allow: high_bias, overfitting, high_variance
# forbid: *
# evidence: planted (labels permuted vs signals): train loss 1.388 -> 1.380 (ln4=1.386), val_acc 0.126 (chance 0.25); control (real labels): val_acc 0.992, val_loss 0.084
# control: --control
# 1-D conv net classifying noisy waveforms (sine / square / sawtooth / chirp). Bug planted in the
# data pipeline: the labels are shuffled independently of the signals (np.random.permutation applied
# to y only), so there is nothing to learn and the loss stays at ln(4) = 1.386.
import json
import sys

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)
BUGGY = "--control" not in sys.argv
L = 64


def waves(n):
    t = np.linspace(0, 1, L)
    y = rng.integers(0, 4, n)
    f = rng.uniform(2, 5, n)[:, None]
    ph = rng.uniform(0, 2 * np.pi, n)[:, None]
    s = np.where(y[:, None] == 0, np.sin(2 * np.pi * f * t + ph),
        np.where(y[:, None] == 1, np.sign(np.sin(2 * np.pi * f * t + ph)),
        np.where(y[:, None] == 2, 2 * ((f * t + ph / 6.3) % 1) - 1,
                 np.sin(2 * np.pi * (f * t + 3 * t ** 2) + ph))))
    x = s + rng.normal(0, 0.4, s.shape)
    return x.astype(np.float32)[:, None, :], y


x_train, y_train = waves(2000)
x_val, y_val = waves(500)
if BUGGY:
    y_train = rng.permutation(y_train)   # "shuffle the dataset" -- but only the labels

x_train, y_train = torch.tensor(x_train), torch.tensor(y_train)
x_val, y_val = torch.tensor(x_val), torch.tensor(y_val)

net = nn.Sequential(
    nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(4),
    nn.Flatten(), nn.Linear(64, 4),
)
opt = torch.optim.Adam(net.parameters(), lr=2e-3)
ce = nn.CrossEntropyLoss()

for epoch in range(8):
    net.train()
    perm = torch.randperm(len(x_train))
    acc_loss = 0.0
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = ce(net(x_train[b]), y_train[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        acc_loss += loss.item() * len(b)
    net.eval()
    with torch.no_grad():
        out = net(x_val)
        vl, va = ce(out, y_val).item(), (out.argmax(1) == y_val).float().mean().item()
    print(f"epoch {epoch}  train loss {acc_loss / len(perm):.4f}  val loss {vl:.4f}  val acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(acc_loss / len(perm), 4), "chance_acc": 0.25}))
