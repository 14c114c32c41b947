# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (ReLU between the Linears) val_acc 0.958, train_acc 0.980; planted (Linear stack only) train_loss 1.098 = ln3, train_acc 0.316, val_acc 0.301 (majority 0.35)
# control: --control
# native-log: rings_log.csv
# log-expect:
# log-allow: high_bias, non_convergence
"""Concentric-rings classification (3 rings in 2-D, plus 6 nuisance features), a "deep" MLP
built by a small helper, Adam(lr=3e-3), 15 epochs. Writes rings_log.csv
(step_epoch, loss, val_loss, val_accuracy, learning_rate).

Planted bug: `make_mlp` forgets to put the activation between the Linear layers (the
`layers.append(act())` line was lost in a refactor), so Linear->Linear->Linear->Linear collapses
to ONE linear map, which cannot separate rings. `--control` restores the ReLU between layers.
"""
import argparse
import csv
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_mlp(sizes, with_activation):
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if with_activation and i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def rings(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    r = 1.0 + y.float() + 0.25 * torch.randn(n, generator=g)
    a = 2 * math.pi * torch.rand(n, generator=g)
    xy = torch.stack([r * torch.cos(a), r * torch.sin(a)], 1)
    x = torch.cat([xy / 2, torch.randn(n, 6, generator=g)], 1)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(14)
    xtr, ytr = rings(4000, g)
    xva, yva = rings(1000, g)
    model = make_mlp([8, 64, 64, 64, 3], with_activation=args.control)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "rings_log.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["step_epoch", "loss", "val_loss", "val_accuracy", "learning_rate"])
        for ep in range(15):
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                opt.zero_grad()
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            with torch.no_grad():
                o = model(xva)
                vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
            wr.writerow([ep + 1, round(tot / len(xtr), 5), round(vl, 5), round(va, 4), 3e-3])
            print(f"epoch {ep+1:2d} loss {tot/len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    with torch.no_grad():
        o = model(xtr)
        tl, ta = F.cross_entropy(o, ytr).item(), (o.argmax(1) == ytr).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round((torch.bincount(yva).max() / len(yva)).item(), 4)}))


if __name__ == "__main__":
    main()
