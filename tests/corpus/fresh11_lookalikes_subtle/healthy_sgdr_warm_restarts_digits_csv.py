"""SGDR (cosine annealing with warm restarts) on an MLP for sklearn digits.

Look-alike: every restart throws the lr back to its peak, so the epoch train loss
jumps up (and val accuracy dips) after the restarts at epochs 4 and 12 before recovering lower.
A monitor that flags "loss went up by a lot" would call this divergence.
"""
# expect:
# allow:
# forbid: *
# evidence: final val_acc 0.973 (chance 0.10), val_loss 0.16, train_loss 0.031; epoch train loss jumps at both restarts (ep3 0.186 -> ep5 0.503, ep12 0.084 -> ep13 0.238) and val_acc dips (0.94 -> 0.907) before recovering
# native-log: sgdr_metrics.csv
# log-expect:
# log-allow:
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


def main():
    X, y = load_digits(return_X_y=True)
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    sc = StandardScaler().fit(Xtr)
    Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
    Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
    ytr = torch.tensor(ytr)
    yva = torch.tensor(yva)

    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.15, momentum=0.9, weight_decay=5e-4)
    bs = 64
    steps_per_epoch = (len(Xtr) + bs - 1) // bs
    # restart after 4 epochs, then after 8 more (cycles 4, 8, 16 epochs)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2, eta_min=1e-4)
    epochs = 28
    f = open(os.path.join(LOG_DIR, "sgdr_metrics.csv"), "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_acc"])
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot, n = 0.0, 0
        lr_start = opt.param_groups[0]["lr"]
        for i in range(steps_per_epoch):
            idx = perm[i * bs:(i + 1) * bs]
            xb = Xtr[idx] + 0.3 * torch.randn(len(idx), 64)  # light noise augmentation
            loss = F.cross_entropy(model(xb), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step(ep + (i + 1) / steps_per_epoch)
            tot += loss.item() * len(idx)
            n += len(idx)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        w.writerow([ep, f"{lr_start:.6f}", f"{tot / n:.5f}", f"{vl:.5f}", f"{va:.4f}"])
        print(f"epoch {ep:2d} lr {lr_start:.4f} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    f.close()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                        "train_loss": round(tot / n, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
