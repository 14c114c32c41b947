# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: planted: loss becomes NaN at step 46 (epoch 0), weights NaN, final val_acc 0.474 (majority 0.526); control (BCE-with-logits): val_acc 0.911, val_loss 0.235
# control: --control
"""Click-through style binary classifier (plain PyTorch, Adamax). The author wrote the binary
cross-entropy by hand as -(y*log(sigmoid(z)) + (1-y)*log(1-sigmoid(z))). The data are nearly
separable, so the logits keep growing; once sigmoid(z) rounds to exactly 1.0 (or 0.0) in float32
the log gives -inf and 0*(-inf) = NaN, the loss becomes NaN (after ~45 good steps) and the
backward pass poisons the weights; the loop keeps going. --control uses F.binary_cross_entropy_with_logits (the numerically stable form) and
changes nothing else.
"""
import argparse
import json
import math

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, w_true):
    x = torch.randn(n, 16, generator=g)
    z = 4.0 * (x @ w_true) + 1.5 * torch.sin(3 * x[:, 0]) * x[:, 1]
    y = (z > 0).float()
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w_true = torch.randn(16, generator=g) / 4.0
    xtr, ytr = make_data(4000, g, w_true)
    xva, yva = make_data(1000, g, w_true)

    model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adamax(model.parameters(), lr=1e-2)

    def bce(logits, y):
        if args.control:
            return F.binary_cross_entropy_with_logits(logits, y)
        p = torch.sigmoid(logits)
        return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()

    step = 0
    for epoch in range(12):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 50):
            idx = perm[i:i + 50]
            loss = bce(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        with torch.no_grad():
            lv = model(xva).squeeze(1)
            acc = ((lv > 0).float() == yva).float().mean().item()
        print(f"epoch {epoch} train_loss {loss.item():.4f} val_acc {acc:.4f}")

    with torch.no_grad():
        lv = model(xva).squeeze(1)
        lt = model(xtr).squeeze(1)
        val_loss = F.binary_cross_entropy_with_logits(lv, yva).item()
        val_acc = ((lv > 0).float() == yva).float().mean().item()
        train_loss = F.binary_cross_entropy_with_logits(lt, ytr).item()
    chance = max(yva.mean().item(), 1 - yva.mean().item())
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val_loss, 4) if math.isfinite(val_loss) else None,
        "val_acc": round(val_acc, 4),
        "train_loss": round(train_loss, 4) if math.isfinite(train_loss) else None,
        "chance_acc": round(chance, 4),
        "params_finite": bool(all(torch.isfinite(p).all() for p in model.parameters())),
    }))


if __name__ == "__main__":
    main()
