# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: control (same permutation) val_acc 0.980, val_loss 0.070; planted (labels permuted separately) train loss 1.3863 = ln 4 for all 6 epochs, val_acc 0.228 (chance 0.25)
# control: --control
"""GRU classifying 1-D waveforms (sine / square / sawtooth / triangle) with random frequency,
phase and noise. The 'shuffle the training set once' step permutes the inputs and the labels
with two different permutations. --control uses the same permutation for both."""
import argparse
import json
import math

import numpy as np
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
parser.add_argument("--epochs", type=int, default=6)
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(5)
np.random.seed(5)

KINDS = ["sine", "square", "saw", "triangle"]
T = 48


def waveform(kind, f, ph):
    t = np.arange(T)
    u = (f * t + ph) % 1.0
    if kind == "sine":
        return np.sin(2 * math.pi * u)
    if kind == "square":
        return np.where(u < 0.5, 1.0, -1.0)
    if kind == "saw":
        return 2 * u - 1
    return 4 * np.abs(u - 0.5) - 1


def dataset(n):
    y = np.random.randint(0, 4, n)
    X = np.stack([waveform(KINDS[k], np.random.uniform(0.03, 0.12), np.random.rand()) for k in y])
    X = X + 0.15 * np.random.randn(*X.shape)
    return torch.tensor(X, dtype=torch.float32).unsqueeze(-1), torch.tensor(y)


X_train, y_train = dataset(2000)
X_val, y_val = dataset(600)

# shuffle once before batching
perm = torch.randperm(len(X_train))
X_train = X_train[perm]
y_train = y_train[perm] if args.control else y_train[torch.randperm(len(y_train))]


class WaveGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 48, batch_first=True)
        self.fc = nn.Linear(48, 4)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])


model = WaveGRU()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
crit = nn.CrossEntropyLoss()
BS = 32
for ep in range(args.epochs):
    model.train()
    tot = 0.0
    for i in range(0, len(X_train), BS):
        xb, yb = X_train[i:i + BS], y_train[i:i + BS]
        loss = crit(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(X_val)
        vloss = crit(out, y_val).item()
        vacc = (out.argmax(1) == y_val).float().mean().item()
    print(f"epoch {ep + 1}: train_loss {tot / len(X_train):.4f} val_loss {vloss:.4f} val_acc {vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tot / len(X_train), 4), "chance_acc": 0.25,
                                     "chance_loss": round(math.log(4), 4)}))
