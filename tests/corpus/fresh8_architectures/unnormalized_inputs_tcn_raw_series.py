# expect: unnormalized_inputs
# allow: high_bias, non_convergence, learning_rate_too_high, exploding_gradients, saturated_activations, dead_units, poor_initialization
# forbid: *
# evidence: planted (raw inputs, mean 524 std 66; standardised targets) starts at train_mse 268, ends test_mse 0.657, train_mse 0.467 -- worse than naive last-value 0.393 (target_var 0.907); control (standardised inputs) test_mse 0.053, train 0.055
# control: --control
"""Temporal CNN (dilated causal convs with residuals) forecasting the next 4 steps of a noisy multi-seasonal series.
Standardise with train-split statistics, chronological split, early stopping on a validation window."""
import copy
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

WINDOW, HORIZON = 48, 4


def series(T=3600, seed=0):
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(T).float()
    level = 500 + 0.02 * t
    s = level + 80 * torch.sin(2 * torch.pi * t / 24) + 40 * torch.sin(2 * torch.pi * t / 168 + 1.0)
    ar = torch.zeros(T)
    eps = torch.randn(T, generator=g)
    for i in range(1, T):
        ar[i] = 0.8 * ar[i - 1] + 10 * eps[i]
    return s + ar


raw = series()
split_a, split_b = 2400, 3000
mu, sd = raw[:split_a].mean(), raw[:split_a].std()
z = (raw - mu) / sd


def windows(arr, lo, hi):
    idx = torch.arange(lo, hi - WINDOW - HORIZON)
    X = torch.stack([arr[i:i + WINDOW] for i in idx]).unsqueeze(1)
    Y = torch.stack([arr[i + WINDOW:i + WINDOW + HORIZON] for i in idx])
    return X, Y


# targets are standardised ... but the input windows were cut from the raw series (level ~500, swings +-150)
inp = z if "--control" in sys.argv else raw
Xtr, Ytr = windows(inp, 0, split_a)[0], windows(z, 0, split_a)[1]
Xva, Yva = windows(inp, split_a, split_b)[0], windows(z, split_a, split_b)[1]
Xte, Yte = windows(inp, split_b, len(z))[0], windows(z, split_b, len(z))[1]
print(f"input mean {Xtr.mean().item():.1f} std {Xtr.std().item():.1f}")


class CausalBlock(nn.Module):
    def __init__(self, ch, dil):
        super().__init__()
        self.pad = 2 * dil
        self.c1 = nn.Conv1d(ch, ch, 3, dilation=dil)
        self.c2 = nn.Conv1d(ch, ch, 3, dilation=dil)

    def forward(self, x):
        h = F.relu(self.c1(F.pad(x, (self.pad, 0))))
        h = self.c2(F.pad(h, (self.pad, 0)))
        return F.relu(x + h)


class TCN(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.blocks = nn.Sequential(*[CausalBlock(ch, d) for d in (1, 2, 4, 8)])
        self.head = nn.Linear(ch, HORIZON)

    def forward(self, x):
        return self.head(self.blocks(self.inp(x))[:, :, -1])


model = TCN()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
best, best_state, bad, patience = float("inf"), None, 0, 4
for epoch in range(20):
    model.train()
    perm = torch.randperm(len(Xtr))
    tr = 0.0
    for i in range(0, len(Xtr), 64):
        b = perm[i:i + 64]
        loss = F.mse_loss(model(Xtr[b]), Ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tr += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        v = F.mse_loss(model(Xva), Yva).item()
    print(f"epoch {epoch:2d} train_mse {tr / len(Xtr):.4f} val_mse {v:.4f}")
    if v < best - 1e-4:
        best, best_state, bad = v, copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= patience:
            print(f"early stop at epoch {epoch}, best val_mse {best:.4f}")
            break

model.load_state_dict(best_state)
with torch.no_grad():
    test_mse = F.mse_loss(model(Xte), Yte).item()
    train_mse = F.mse_loss(model(Xtr), Ytr).item()
    naive = F.mse_loss(((Xte[:, 0, -1:] - mu) / sd if inp is raw else Xte[:, 0, -1:]).expand(-1, HORIZON), Yte).item()
print(f"test_mse {test_mse:.4f}  naive last-value {naive:.4f}  target var {Yte.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(test_mse, 5), "train_mse": round(train_mse, 5),
                                      "target_var": round(Yte.var().item(), 5), "naive_mse": round(naive, 5),
                                      "val_loss": round(test_mse, 5), "train_loss": round(train_mse, 5)}))
