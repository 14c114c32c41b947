"""Step-based training loop (max_steps, evaluation every 50 steps) with the train/val
split done by slicing a shuffled index array - and the two slices swapped:
    cut = int(0.9 * n)
    val_idx, train_idx = idx[:cut], idx[cut:]     # meant: train_idx, val_idx = ...
The wide MLP therefore trains on 10% of the rows (300) and is validated on 90%.
With the same 500 optimizer steps it cycles through the tiny training set ~80 times,
memorises it (train loss -> ~0) and the validation loss climbs steadily after an early
minimum. --control assigns the slices the intended way round (nothing else changes).
"""
# expect: overfitting, high_variance
# allow:
# forbid: *
# evidence: control (2700 train rows) val_loss 0.401 (best 0.377 at step 400) / val_acc 0.830, train_loss 0.228; planted (300 train rows) train_loss 0.0017 / train_acc 1.00 but val_loss climbs from its minimum 0.540 (step 50) to 1.041 at step 500 with val_acc 0.794
# control: --control
# native-log: split_bug/history.csv
# log-expect: overfitting
# log-allow: high_variance
import argparse
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification


def infinite_batches(n, bs, gen):
    while True:
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n - bs + 1, bs):
            yield perm[i:i + bs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(27)
    np.random.seed(27)
    torch.manual_seed(27)
    X, y = make_classification(n_samples=3000, n_features=20, n_informative=10, n_redundant=4, n_classes=3,
                               n_clusters_per_class=2, class_sep=1.0, flip_y=0.02, random_state=27)
    idx = np.random.permutation(len(X))
    cut = int(0.9 * len(X))
    if args.control:
        train_idx, val_idx = idx[:cut], idx[cut:]
    else:
        val_idx, train_idx = idx[:cut], idx[cut:]  # BUG: slices swapped
    mu, sd = X[train_idx].mean(0), X[train_idx].std(0)
    X = (X - mu) / sd
    Xtr, ytr = torch.tensor(X[train_idx], dtype=torch.float32), torch.tensor(y[train_idx])
    Xva, yva = torch.tensor(X[val_idx], dtype=torch.float32), torch.tensor(y[val_idx])
    print(f"train rows {len(Xtr)}, val rows {len(Xva)}")

    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "split_bug")
    os.makedirs(log_dir, exist_ok=True)
    fh = open(os.path.join(log_dir, "history.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["step", "train_loss", "train_acc", "val_loss", "val_acc"])
    best = (9.0, -1)
    batches = infinite_batches(len(Xtr), 50, torch.Generator().manual_seed(27))
    tot, corr, seen = 0.0, 0, 0
    for step in range(1, 501):
        model.train()
        b = next(batches)
        out = model(Xtr[b])
        loss = F.cross_entropy(out, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        corr += (out.argmax(1) == ytr[b]).sum().item()
        seen += len(b)
        if step % 50 == 0:
            model.eval()
            with torch.no_grad():
                o = model(Xva)
                vl = F.cross_entropy(o, yva).item()
                va = (o.argmax(1) == yva).float().mean().item()
            best = min(best, (vl, step))
            tl, ta = tot / seen, corr / seen
            tot, corr, seen = 0.0, 0, 0
            wr.writerow([step, f"{tl:.5f}", f"{ta:.4f}", f"{vl:.5f}", f"{va:.4f}"])
            if step % 100 == 0:
                print(f"step {step} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    fh.close()
    print(f"best val_loss {best[0]:.4f} at step {best[1]}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "train_acc": round(ta, 4), "best_val_loss": round(best[0], 4),
                                        "chance_acc": 0.3333, "n_train": len(Xtr)}))


if __name__ == "__main__":
    main()
