# expect:
# allow:
# forbid: *
# evidence: weight-normalised MLP separates 3 interleaved spirals: val_acc 0.968, val_loss 0.080, train_loss 0.058 (chance 0.33; epoch-5 val_loss 1.06)
import argparse
import json
import math

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm


def spirals(n_per_class, n_classes=3, noise=0.08, seed=0):
    g = torch.Generator().manual_seed(seed)
    pts, labels = [], []
    for c in range(n_classes):
        t = torch.rand(n_per_class, generator=g) * 1.0 + 0.05          # radius 0.05 .. 1.05
        ang = t * 3.0 * math.pi + 2 * math.pi * c / n_classes
        xy = torch.stack([t * torch.cos(ang), t * torch.sin(ang)], 1)
        pts.append(xy + noise * t[:, None] * torch.randn(n_per_class, 2, generator=g))
        labels.append(torch.full((n_per_class,), c))
    return torch.cat(pts), torch.cat(labels)


def build(hidden, depth):
    layers, d = [], 2
    for _ in range(depth):
        layers += [weight_norm(nn.Linear(d, hidden)), nn.SiLU()]
        d = hidden
    layers.append(weight_norm(nn.Linear(d, 3)))
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description="spiral classification with weight norm")
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    xtr, ytr = spirals(300, seed=1)
    xva, yva = spirals(200, seed=2)
    net = build(a.hidden, a.depth)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=4)
    lossf = nn.CrossEntropyLoss()

    for epoch in range(a.epochs):
        net.train()
        perm = torch.randperm(len(xtr))
        s = 0.0
        for i in range(0, len(xtr), a.batch_size):
            b = perm[i:i + a.batch_size]
            loss = lossf(net(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            s += loss.item() * len(b)
        train_loss = s / len(xtr)
        net.eval()
        with torch.no_grad():
            out = net(xva)
            val_loss = lossf(out, yva).item()
            val_acc = (out.argmax(1) == yva).float().mean().item()
        sched.step(val_loss)
        if epoch % 5 == 4:
            print(f"epoch {epoch + 1:3d}  lr {opt.param_groups[0]['lr']:.1e}  train {train_loss:.4f}  "
                  f"val {val_loss:.4f}  acc {val_acc:.3f}")

    print("CORPUS_METRIC " + json.dumps({"train_loss": round(train_loss, 5), "val_loss": round(val_loss, 5),
                                         "val_acc": round(val_acc, 4), "chance_acc": round(1 / 3, 4)}))


if __name__ == "__main__":
    main()
