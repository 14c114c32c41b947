# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (wd=5e-4) train_acc 0.920, val_acc 0.826; planted (wd=1e-1) train_acc 0.401 / train_loss 1.36, val_acc 0.409 (majority 0.26), total weight norm 1.9 vs 15.5
# control: --control
# native-log: wd_run/metrics.csv
# log-expect:
# log-allow: high_bias, non_convergence
"""Tabular 5-class classification (credit-rating buckets from 20 standardised features, a
smooth non-linear teacher), MLP 20-128-128-5, SGD(lr=0.05, momentum=0.9), 12 epochs.
Writes wd_run/metrics.csv (epoch, train_loss, train_acc, val_loss, val_acc, lr).

Planted bug: weight_decay=1e-1 was typed where 5e-4 was meant. The L2 pull dominates the data
gradient: weights shrink towards zero and the model underfits even its training set.
`--control` uses weight_decay=5e-4; nothing else changes.
"""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F


def get_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--epochs", type=int, default=12)
    return ap.parse_args()


def teacher_data(n, g, P):
    x = torch.randn(n, 20, generator=g)
    h = torch.tanh(x @ P[0]) @ P[1]
    return x, h.argmax(1)


def main():
    args = get_args()
    wd = 5e-4 if args.control else 1e-1   # BUG: meant 5e-4
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(77)
    P = [torch.randn(20, 8, generator=g) * 0.4, torch.randn(8, 5, generator=g)]
    xtr, ytr = teacher_data(5000, g, P)
    xva, yva = teacher_data(1000, g, P)
    model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=wd)

    out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "wd_run")
    os.makedirs(out_dir, exist_ok=True)

    def ev(x, y):
        with torch.no_grad():
            o = model(x)
            return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()

    with open(os.path.join(out_dir, "metrics.csv"), "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
        wr.writeheader()
        for ep in range(args.epochs):
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                opt.zero_grad()
                F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
                opt.step()
            tl, ta = ev(xtr, ytr)
            vl, va = ev(xva, yva)
            wr.writerow({"epoch": ep + 1, "train_loss": round(tl, 5), "train_acc": round(ta, 4),
                         "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": 0.05})
            print(f"epoch {ep+1:2d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
    wn = sum(p.norm() ** 2 for n, p in model.named_parameters() if "weight" in n).sqrt().item()
    print(f"probe: total weight norm at end = {wn:.2f}")
    chance = (torch.bincount(yva).max() / len(yva)).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
