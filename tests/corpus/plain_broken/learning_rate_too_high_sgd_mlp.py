# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, non_finite, high_bias, dead_units
# forbid: *
# evidence: planted SGD lr=3 (momentum 0.9): step losses 1.85 -> 11.8 -> 26.0 -> 12.1 -> 15.4 in the first 10 steps, then sits at ~2.2 (ln8=2.08); val_acc 0.145 (chance 0.125); control lr=0.02: val_acc 0.918, val_loss 0.221
# control: --control
"""MLP on 8-class gaussian blobs, plain SGD. The planted run uses lr=3.0 (momentum 0.9); control lr=0.02."""
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--lr", type=float, default=None)
args = p.parse_args()
LR = 0.02 if args.control else 3.0
if args.lr: LR = args.lr


def make_blobs(n, d=20, k=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(k, d, generator=torch.Generator().manual_seed(123)) * 0.7
    y = torch.randint(0, k, (n,), generator=g)
    x = centers[y] + torch.randn(n, d, generator=g)
    return x, y


xtr, ytr = make_blobs(6000, seed=1)
xva, yva = make_blobs(1000, seed=2)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 8))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)

step = 0
for epoch in range(args.epochs):
    perm = torch.randperm(len(xtr))
    model.train()
    tot = 0.0
    for i in range(0, len(xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")

def fin(v):
    return round(v, 4) if v == v and abs(v) != float("inf") else None


print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": fin(va),
                                     "train_loss": fin(tot / len(xtr)), "chance_acc": 0.125}))
