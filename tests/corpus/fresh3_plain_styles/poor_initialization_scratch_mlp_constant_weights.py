# expect: poor_initialization
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (constant 0.02 init): 1 distinct unit out of 64 in layer 1 after training, val_acc 0.526 (majority 0.552), val_loss 0.764; control (He-normal): 64 distinct units, val_acc 0.916, val_loss 0.185
# control: --control
"""A from-scratch two-hidden-layer MLP written with raw tensors (no nn.Module): the author
extended a logistic-regression notebook, where a constant initialisation is fine, and kept
W = torch.full(shape, 0.02) for every layer ("small, so nothing blows up"). All hidden units of a layer get identical weights and
identical gradients forever (the symmetry is never broken), so the 64-unit layers behave like
a single unit. Plain SGD with momentum, hand-written update loop. --control initialises the
weight matrices with He-normal random values (biases still zero); nothing else changes.
"""
import argparse
import json
import math

import torch
from torch.nn import functional as F


def make_data(n, g):
    x = torch.rand(n, 2, generator=g) * 4 - 2
    r = x.norm(dim=1)
    ang = torch.atan2(x[:, 1], x[:, 0])
    y = ((torch.sin(3 * ang + 2 * r) > 0).long() + (r > 1.4).long()) % 3
    feats = torch.cat([x, x ** 2, x[:, :1] * x[:, 1:]], 1)
    return feats, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(3000, g)
    xva, yva = make_data(1000, g)
    sizes = [5, 64, 64, 3]
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if args.control:
            w = torch.randn(fan_in, fan_out) * math.sqrt(2.0 / fan_in)
        else:
            w = torch.full((fan_in, fan_out), 0.02)
        params += [w.requires_grad_(), torch.zeros(fan_out, requires_grad=True)]
    velocity = [torch.zeros_like(p) for p in params]

    def forward(x):
        h = x
        for i in range(0, len(params) - 2, 2):
            h = torch.relu(h @ params[i] + params[i + 1])
        return h @ params[-2] + params[-1]

    lr, mom = 0.05, 0.9
    for epoch in range(25):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(forward(xtr[idx]), ytr[idx])
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, v, gr in zip(params, velocity, grads):
                    v.mul_(mom).add_(gr)
                    p.sub_(lr * v)
        with torch.no_grad():
            acc = (forward(xva).argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch} loss {loss.item():.4f} val_acc {acc:.4f}")
    with torch.no_grad():
        lv, lt = forward(xva), forward(xtr)
        w1 = params[0]
        distinct_cols = torch.unique(w1.round(decimals=6), dim=1).shape[1]
    majority = torch.bincount(yva).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": round(majority, 4),
        "distinct_first_layer_units": distinct_cols,
    }))


if __name__ == "__main__":
    main()
