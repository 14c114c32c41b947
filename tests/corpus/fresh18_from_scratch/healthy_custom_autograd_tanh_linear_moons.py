"""Custom torch.autograd.Function layers written by hand (LinearFn and TanhFn with their own
backward), verified with torch.autograd.gradcheck in float64, then used in a 2-32-32-1 network on
make_moons with a hand-written, numerically stable BCE-with-logits and mini-batch SGD over index
permutations."""
# expect:
# allow:
# forbid: *
# evidence: gradcheck True; val_acc 0.970, val_loss 0.093, train_acc 0.966 (noise 0.2 moons: Bayes acc ~0.97, chance 0.5); only 5% of first-layer tanh outputs have abs>0.99
import os, sys, json, random, tempfile
import numpy as np, torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

class LinearFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, W, b):
        ctx.save_for_backward(x, W)
        return x @ W + b
    @staticmethod
    def backward(ctx, g):
        x, W = ctx.saved_tensors
        return g @ W.T, x.T @ g, g.sum(0)

class TanhFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y
    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * (1 - y * y)

xs = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
Ws = torch.randn(3, 4, dtype=torch.float64, requires_grad=True); bs0 = torch.randn(4, dtype=torch.float64, requires_grad=True)
ok = torch.autograd.gradcheck(lambda a, b, c: TanhFn.apply(LinearFn.apply(a, b, c)), (xs, Ws, bs0))
print("gradcheck:", ok)

X, y = make_moons(n_samples=1000, noise=0.2, random_state=0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

sizes = [2, 32, 32, 1]
Ws_, bs_ = [], []
for fi, fo in zip(sizes[:-1], sizes[1:]):
    Ws_.append((torch.randn(fi, fo) * (1 / fi) ** 0.5).requires_grad_()); bs_.append(torch.zeros(fo, requires_grad=True))
params = Ws_ + bs_
def f(x):
    for i in range(3):
        x = LinearFn.apply(x, Ws_[i], bs_[i])
        if i < 2: x = TanhFn.apply(x)
    return x.squeeze(1)
def bce(z, t):
    return (torch.clamp(z, min=0) - z * t + torch.log1p(torch.exp(-z.abs()))).mean()

lr, bs = 0.2, 32
for epoch in range(30):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), bs):
        idx = perm[i:i + bs]
        loss = bce(f(Xtr[idx]), ytr[idx]); loss.backward()
        with torch.no_grad():
            for p in params: p -= lr * p.grad; p.grad.zero_()
    with torch.no_grad():
        zv = f(Xva); vl = bce(zv, yva).item(); va = ((zv > 0).float() == yva).float().mean().item()
    if epoch % 8 == 0 or epoch == 29:
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
with torch.no_grad():
    tl = bce(f(Xtr), ytr).item(); ta = ((f(Xtr) > 0).float() == ytr).float().mean().item()
    sat = (torch.tanh(Xtr @ Ws_[0] + bs_[0]).abs() > 0.99).float().mean().item()
print(f"fraction of first-layer tanh outputs with |a|>0.99: {sat:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tl, "train_acc": ta, "chance_acc": 0.5}))
