"""A Standardizer is fitted and stored in the config, but the streaming IterableDataset used for
training (and the val stream) yields the RAW feature rows: the transform hook is only applied in
the map-style __getitem__ path that the old code used.

Breast-cancer features on wildly different scales (area ~ 500-2500, smoothness ~ 0.1, fractal
dimension ~ 0.06). SGD with momentum, lr tuned on standardised features.
--control: the stream applies the fitted transform (the only change).
"""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, high_bias, exploding_gradients, dead_units, saturated_activations
# forbid: *
# evidence: breast_cancer raw features (column means 0.004 .. 871), MLP SGD 0.01 mom 0.9; planted (stream skips the scaler): epoch-0 train_loss 28.1, then stuck at ~0.70-0.74, val_acc 0.632 = majority rate 0.626, val_loss 0.663; control (standardised stream): val_acc 0.965, val_loss 0.118, train_loss 0.029
# control: --control
import argparse, json, random
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, IterableDataset

torch.set_num_threads(1)
random.seed(18); np.random.seed(18); torch.manual_seed(18)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


class Standardizer:
    def fit(self, X): self.mu, self.sd = X.mean(0), X.std(0) + 1e-8; return self
    def __call__(self, x): return (x - self.mu) / self.sd


@dataclass
class Config:
    lr: float = 0.01
    epochs: int = 25
    batch_size: int = 32
    transform: object = None
    stream_applies_transform: bool = False


X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X.astype(np.float32), y.astype(np.float32), test_size=0.3, random_state=18, stratify=y)
cfg = Config(transform=Standardizer().fit(Xtr), stream_applies_transform=args.control)


class RowStream(IterableDataset):
    def __init__(self, X, y, batch_size, shuffle, epoch_seed=0):
        self.X, self.y, self.bs, self.shuffle, self.epoch_seed = X, y, batch_size, shuffle, epoch_seed

    def __getitem__(self, i):             # legacy map-style path (not used any more)
        return cfg.transform(self.X[i]), self.y[i]

    def __iter__(self):
        idx = np.random.default_rng(self.epoch_seed).permutation(len(self.X)) if self.shuffle else np.arange(len(self.X))
        for s in range(0, len(idx), self.bs):
            xb = self.X[idx[s:s + self.bs]]
            if cfg.stream_applies_transform:
                xb = cfg.transform(xb)
            yield torch.from_numpy(xb), torch.from_numpy(self.y[idx[s:s + self.bs]])


model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9)
print("first-batch feature means (min/max):", float(np.abs(Xtr.mean(0)).min()), float(np.abs(Xtr.mean(0)).max()) if not args.control else "standardised")


def evaluate():
    model.eval(); tot, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in DataLoader(RowStream(Xva, yva, 256, False), batch_size=None):
            out = model(xb).squeeze(1); tot += F.binary_cross_entropy_with_logits(out, yb, reduction="sum").item()
            correct += ((out > 0).float() == yb).sum().item(); n += len(yb)
    model.train(); return tot / n, correct / n


for epoch in range(cfg.epochs):
    tl, n = 0.0, 0
    for xb, yb in DataLoader(RowStream(Xtr, ytr, cfg.batch_size, True, epoch), batch_size=None):
        loss = F.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(yb); n += len(yb)
    vl, va = evaluate()
    if epoch % 5 == 4 or epoch == 0: print(f"epoch {epoch} train_loss {tl / n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
majority = max(yva.mean(), 1 - yva.mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / n, 4), "chance_acc": round(float(majority), 4)}))
