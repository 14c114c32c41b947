"""Mixup (alpha=1.0) on a small conv net for 8x8 digits, config dataclass style.

Look-alike: the logged train loss is computed on mixed inputs with mixed targets,
so it stays near 1.0 and the "train accuracy" (argmax vs the dominant label) stays
well below the clean validation accuracy. Val loss < train loss for the whole run.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.978 (chance 0.10), val_loss 0.139 at the end, while the mixup train_loss stays 0.76-0.96 over the last 8 epochs and train_acc (vs dominant label) 0.875-0.947; val_loss < train_loss every epoch
# native-log: mixup_log.csv
# log-expect:
# log-allow:
import csv
import json
import os
import random
import tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass
class Config:
    seed: int = 3
    epochs: int = 18
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    mixup_alpha: float = 1.0


class SmallConv(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


def main(cfg: Config):
    torch.set_num_threads(1)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.3) / 0.4
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=cfg.seed, stratify=y)
    Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8)
    Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)
    model = SmallConv()
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    beta = torch.distributions.Beta(cfg.mixup_alpha, cfg.mixup_alpha)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "mixup_log.csv"), "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        wr.writeheader()
        for ep in range(cfg.epochs):
            model.train()
            perm = torch.randperm(len(Xtr))
            tl, tc, n = 0.0, 0.0, 0
            for i in range(0, len(perm), cfg.batch_size):
                idx = perm[i:i + cfg.batch_size]
                xb, yb = Xtr[idx], ytr[idx]
                lam = beta.sample().item()
                j = torch.randperm(len(idx))
                xm = lam * xb + (1 - lam) * xb[j]
                out = model(xm)
                loss = lam * F.cross_entropy(out, yb) + (1 - lam) * F.cross_entropy(out, yb[j])
                opt.zero_grad()
                loss.backward()
                opt.step()
                dominant = torch.where(torch.tensor(lam >= 0.5), yb, yb[j])
                tl += loss.item() * len(idx)
                tc += (out.argmax(1) == dominant).float().sum().item()
                n += len(idx)
            model.eval()
            with torch.no_grad():
                o = model(Xva)
                vl = F.cross_entropy(o, yva).item()
                va = (o.argmax(1) == yva).float().mean().item()
            row = {"epoch": ep, "train_loss": round(tl / n, 5), "train_acc": round(tc / n, 4),
                   "val_loss": round(vl, 5), "val_acc": round(va, 4)}
            wr.writerow(row)
            print(row)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                        "train_loss": round(tl / n, 4), "train_acc": round(tc / n, 4),
                                        "chance_acc": 0.1}))


if __name__ == "__main__":
    main(Config())
