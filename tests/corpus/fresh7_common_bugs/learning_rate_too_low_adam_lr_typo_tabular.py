# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-3) val_acc 0.851 val_loss 0.372; planted (lr=1e-6) val_acc 0.288 val_loss 1.108 (majority 0.39), first-layer weights move only 2.8e-3 relative (control 0.65)
# control: --control
"""Tabular churn-like classification (3 classes, 24 features) with an MLP and Adam.

Planted bug: the learning rate was typed as 1e-6 instead of 1e-3 (a classic typo in a config),
so the model barely moves in 12 epochs. `--control` restores lr=1e-3; nothing else changes.
"""
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_data(n, gen, teacher):
    x = torch.randn(n, 24, generator=gen)
    with torch.no_grad():
        logits = teacher(x)
    y = logits.argmax(1)
    return x, y


def build_teacher(gen):
    t = nn.Sequential(nn.Linear(24, 32), nn.Tanh(), nn.Linear(32, 3))
    with torch.no_grad():
        for p in t.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.3)
    return t


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
        loss = F.cross_entropy(out, y).item()
        acc = (out.argmax(1) == y).float().mean().item()
    model.train()
    return loss, acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()
    lr = 1e-3 if args.control else 1e-6  # BUG: meant 1e-3

    torch.manual_seed(0)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1)
    teacher = build_teacher(gen)
    xtr, ytr = make_data(4000, gen, teacher)
    xva, yva = make_data(1000, gen, teacher)

    model = nn.Sequential(nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    w0 = model[0].weight.detach().clone()

    for epoch in range(args.epochs):
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        vl, va = evaluate(model, xva, yva)
        print(f"epoch {epoch+1:2d} train_loss {tot/len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")

    rel_change = ((model[0].weight - w0).norm() / w0.norm()).item()
    print(f"probe: relative change of first-layer weights over training = {rel_change:.2e}")
    tl, ta = evaluate(model, xtr, ytr)
    vl, va = evaluate(model, xva, yva)
    chance = torch.bincount(yva, minlength=3).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(tl, 4), "train_acc": round(ta, 4),
                                         "chance_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
