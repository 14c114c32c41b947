"""1024-bin raw spectra (photon counts, per-sample gain 0.2x-20x) classified by a
model whose first operation is a LayerNorm over the bins.

Look-alike: the tensors entering the model are raw intensities (mean ~20,
per-sample scale varying ~50x, wide 1024-dim input); the LayerNorm front
re-standardises every spectrum, so the first Linear layer sees zero-mean,
unit-scale inputs and training is smooth.
"""
# expect:
# allow: unnormalized_inputs
# forbid: *
# evidence: val_acc 0.992 (chance 0.20), val_loss 0.028; raw input mean 20.2, per-sample std 1.1-60.6 (55x spread), 1024 features; after the LayerNorm front mean 0.000 std 1.000. unnormalized_inputs is allowed only because the raw batch really is unscaled; the model handles it (the same net without the LayerNorm front, printed, gets val_acc 0.933 / val_loss 0.405)
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
random.seed(12)
np.random.seed(12)
torch.manual_seed(12)

BINS, K = 1024, 5


def make(n, rng, centers):
    grid = np.arange(BINS)
    y = rng.integers(0, K, n)
    X = np.empty((n, BINS), dtype=np.float32)
    for i in range(n):
        c = centers[y[i]] + rng.normal(0, 5, size=3)
        peaks = sum(a * np.exp(-0.5 * ((grid - ci) / 12.0) ** 2) for a, ci in zip((1.0, 0.6, 0.8), c))
        baseline = 0.4 + 0.3 * np.sin(grid / 150 + rng.uniform(0, 6.28))
        gain = np.exp(rng.uniform(np.log(0.2), np.log(20)))
        lam = gain * 10 * (peaks + baseline)
        X[i] = rng.poisson(lam)
    return torch.tensor(X), torch.tensor(y)


class Model(nn.Module):
    def __init__(self, front=True):
        super().__init__()
        self.front = nn.LayerNorm(BINS) if front else nn.Identity()
        self.net = nn.Sequential(nn.Linear(BINS, 64), nn.ReLU(), nn.Linear(64, K))

    def forward(self, x):
        return self.net(self.front(x))


def fit(model, Xtr, ytr, Xva, yva, epochs=10, verbose=True):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        tl = tot / len(Xtr)
        model.eval()
        with torch.no_grad():
            out = model(Xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        if verbose:
            print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    return tl, vl, va


def main():
    rng = np.random.default_rng(12)
    base = np.array([250.0, 500.0, 750.0])
    centers = [base + rng.normal(0, 15, size=3) for _ in range(K)]  # classes differ by small peak shifts
    Xtr, ytr = make(2000, rng, centers)
    Xva, yva = make(600, rng, centers)
    s = Xtr.std(1)
    print(f"raw input mean {Xtr.mean():.1f}, per-sample std range {s.min():.1f}-{s.max():.1f}")
    model = Model(front=True)
    with torch.no_grad():
        h = model.front(Xtr[:256])
    print(f"after LayerNorm front: mean {h.mean():.3f} std {h.std():.3f}")
    tl, vl, va = fit(model, Xtr, ytr, Xva, yva)
    torch.manual_seed(12)
    _, vl_ref, va_ref = fit(Model(front=False), Xtr, ytr, Xva, yva, epochs=10, verbose=False)
    print(f"reference without LayerNorm front: val_loss {vl_ref:.3f} val_acc {va_ref:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "chance_acc": 0.2, "no_front_val_acc": round(va_ref, 4)}))


if __name__ == "__main__":
    main()
