# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: train labels 97/2/1 %; planted (plain shuffled batches, unweighted CE): val_acc 0.979 vs majority rate 0.97, balanced acc 0.64, fault recall cavitation 0.62 / wear 0.30; control (class-balancing WeightedRandomSampler): balanced acc 0.83, fault recall 0.78 / 0.72
# control: --control
"""Pump-monitoring classifier (normal / cavitation / bearing wear) on 24 vibration-spectrum
features. Faults are rare in the logged data (97% normal, 2% cavitation, 1% wear) and the
script trains with plain shuffled batches and unweighted cross-entropy: the net settles on
predicting 'normal' and reports ~97% accuracy while missing most faults.
Control: draw batches with a class-balancing WeightedRandomSampler."""
import argparse
import json
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader, WeightedRandomSampler

pa = argparse.ArgumentParser()
pa.add_argument("--control", action="store_true")
a = pa.parse_args()
torch.manual_seed(18)
torch.set_num_threads(1)

PRIOR = torch.tensor([0.97, 0.02, 0.01])
SHIFT = torch.zeros(3, 24)
SHIFT[1, 3:7] = 1.4
SHIFT[1, 15] = -1.4
SHIFT[2, 10:13] = 1.5
SHIFT[2, 20:23] = -1.0


def readings(n, prior):
    y = torch.multinomial(prior, n, replacement=True)
    x = torch.randn(n, 24) + SHIFT[y]
    return x, y


Xtr, ytr = readings(8000, PRIOR)
Xva, yva = readings(3000, PRIOR)               # same skew as deployment
Xbal, ybal = readings(1500, torch.ones(3) / 3)  # balanced probe set for per-class recall
print("train label counts:", torch.bincount(ytr, minlength=3).tolist())

ds = TensorDataset(Xtr, ytr)
if a.control:
    w = (1.0 / torch.bincount(ytr).float())[ytr]
    loader = DataLoader(ds, batch_size=64, sampler=WeightedRandomSampler(w, num_samples=len(ytr), replacement=True))
else:
    loader = DataLoader(ds, batch_size=64, shuffle=True)

net = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()


def recalls(X, y):
    with torch.no_grad():
        pred = net(X).argmax(1)
    return [((pred == c) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in range(3)]


for ep in range(8):
    net.train()
    tot, n = 0.0, 0
    for xb, yb in loader:
        loss = ce(net(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb)
        n += len(yb)
    net.eval()
    with torch.no_grad():
        out = net(Xva)
        vl = ce(out, yva).item()
        acc = (out.argmax(1) == yva).float().mean().item()
    r = recalls(Xbal, ybal)
    print(f"epoch {ep+1} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f} "
          f"recall normal/cav/wear {r[0]:.2f}/{r[1]:.2f}/{r[2]:.2f}")

with torch.no_grad():
    tl = ce(net(Xtr), ytr).item()
bal = sum(r) / 3
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(PRIOR.max().item(), 4), "balanced_acc": round(bal, 4),
                                     "fault_recall": [round(r[1], 3), round(r[2], 3)]}))
