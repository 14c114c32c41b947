"""Curriculum learning on a synthetic nonlinear binary task.

Examples are ranked by their distance to the true decision boundary. The
training pool starts with the easiest 35%, grows to 70% at epoch 6 and to 100%
at epoch 12. Each time harder (and noisier, near-boundary) examples are added the
training loss jumps UP, although the model keeps improving on the full-distribution
validation set. A naive monitor sees "train loss increased twice".
"""
# expect:
# allow:
# forbid: *
# evidence: final val_acc 0.896 vs oracle (true rule) 0.924 on the same noisy val labels, chance 0.5; train loss on the pool jumps at each stage change (ep5 0.015 -> ep6 0.232, ep11 0.102 -> ep12 0.278) while val_loss ends at its low 0.25 (from 0.58); the early val_loss rise in stage 1 (0.456 -> 0.549) is reversed once the pool grows
# native-log: curriculum/log.jsonl
# log-expect:
# log-allow:
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
random.seed(1)
np.random.seed(1)
torch.manual_seed(1)


def truth(x):
    return x[:, 0] * x[:, 1] + 0.8 * np.sin(2 * x[:, 2]) + 0.5 * x[:, 3] - 0.3 * x[:, 4] ** 2 + 0.3


def make(n, rng):
    x = rng.normal(size=(n, 10)).astype(np.float32)
    f = truth(x)
    clean = (f > 0).astype(np.int64)
    # near the boundary labels are ambiguous: flip with prob up to 0.45
    flip = rng.random(n) < 0.45 * np.exp(-np.abs(f) / 0.25)
    y = np.where(flip, 1 - clean, clean)
    return x, y, f, clean


def main():
    rng = np.random.default_rng(1)
    xtr, ytr, ftr, _ = make(4000, rng)
    xva, yva, _, cva = make(2000, rng)
    oracle_acc = float((cva == yva).mean())
    order = np.argsort(-np.abs(ftr))  # easiest (far from the boundary) first
    Xtr, Ytr = torch.tensor(xtr), torch.tensor(ytr).float()
    Xva, Yva = torch.tensor(xva), torch.tensor(yva).float()

    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    stages = [(0, 0.35), (6, 0.70), (12, 1.0)]
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "curriculum")
    os.makedirs(log_dir, exist_ok=True)
    logf = open(os.path.join(log_dir, "log.jsonl"), "w")
    bs = 64
    for ep in range(20):
        frac = [fr for start, fr in stages if ep >= start][-1]
        pool = torch.tensor(order[: int(frac * len(order))])
        model.train()
        perm = pool[torch.randperm(len(pool))]
        tot, n = 0.0, 0
        for i in range(0, len(perm), bs):
            idx = perm[i:i + bs]
            loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), Ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            n += len(idx)
        model.eval()
        with torch.no_grad():
            z = model(Xva).squeeze(1)
            vl = F.binary_cross_entropy_with_logits(z, Yva).item()
            va = ((z > 0).float() == Yva).float().mean().item()
        rec = {"epoch": ep, "pool_fraction": frac, "train_loss": round(tot / n, 5),
               "val_loss": round(vl, 5), "val_acc": round(va, 4)}
        logf.write(json.dumps(rec) + "\n")
        print(rec)
    logf.close()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                        "train_loss": round(tot / n, 4), "chance_acc": 0.5,
                                        "oracle_acc": round(oracle_acc, 4)}))


if __name__ == "__main__":
    main()
