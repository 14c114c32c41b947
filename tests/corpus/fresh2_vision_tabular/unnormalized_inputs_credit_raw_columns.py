# expect: unnormalized_inputs
# allow: high_bias, non_convergence, learning_rate_too_high, exploding_gradients, high_variance, dead_units, saturated_activations
# forbid: *
# evidence: planted (raw columns, income ~6.6e4 next to util ~0.4): val_acc 0.639 vs majority 0.632, val_loss 13.4, train loss jumping 8..47 for 15 epochs; control (z-scored): val_acc 0.762 (Bayes 0.773), val_loss 0.497
# control: --control
"""Credit default from a raw export: annual income (~6e4), outstanding balance (~1.5e4),
age (years), months at address, number of cards, utilisation ratio (0..1), recent late
payments, debt-to-income ratio, plus a 'channel' categorical (x5) embedded. The DataFrame
goes straight into the MLP - nobody standardised the numeric columns. --control: z-score with
train mean/std (and the same for val), the only change."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(8)
rng = np.random.default_rng(8)
CONTROL = "--control" in sys.argv

COLS = ["income", "balance", "age", "months_addr", "n_cards", "util", "late_12m", "dti"]
chan_eff = np.array([0.0, 0.4, -0.3, 0.8, -0.6])


def table(n):
    income = rng.lognormal(11.0, 0.45, n)
    balance = rng.gamma(2.0, 7500.0, n)
    age = rng.uniform(21, 75, n)
    months = rng.exponential(40, n)
    cards = rng.poisson(3, n).astype(float)
    util = rng.beta(2, 3, n)
    late = rng.poisson(0.6, n).astype(float)
    dti = balance / income + rng.normal(0, 0.05, n)
    chan = rng.integers(0, 5, n)
    logit = (-1.2 + 3.5 * (util - 0.4) + 0.9 * late + 4.0 * (dti - 0.3) - 0.02 * (age - 45)
             + 1.5 * (util > 0.7) * (late > 0) + chan_eff[chan])
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
    x = np.stack([income, balance, age, months, cards, util, late, dti], 1)
    bayes = float(((logit > 0) == (y > 0.5)).mean())
    return torch.tensor(x, dtype=torch.float32), torch.from_numpy(chan).long(), torch.from_numpy(y), bayes


Xtr, Ctr, Ytr, _ = table(5000)
Xva, Cva, Yva, bayes = table(1500)
print("raw column means:", {c: round(v, 2) for c, v in zip(COLS, Xtr.mean(0).tolist())})
if CONTROL:
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd


class CreditMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.chan = nn.Embedding(5, 3)
        self.mlp = nn.Sequential(nn.Linear(len(COLS) + 3, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x, c):
        return self.mlp(torch.cat([x, self.chan(c)], 1)).squeeze(1)


model = CreditMLP()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)


def train_one_epoch(bs=128):
    model.train()
    perm = torch.randperm(len(Ytr))
    tot, hit = 0.0, 0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        logit = model(Xtr[b], Ctr[b])
        loss = F.binary_cross_entropy_with_logits(logit, Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        hit += ((logit > 0).float() == Ytr[b]).sum().item()
    return {"train_loss": tot / len(perm), "train_acc": hit / len(perm)}


@torch.no_grad()
def evaluate():
    model.eval()
    logit = model(Xva, Cva)
    return {"val_loss": F.binary_cross_entropy_with_logits(logit, Yva).item(),
            "val_acc": ((logit > 0).float() == Yva).float().mean().item()}


for ep in range(15):
    m = train_one_epoch()
    m.update(evaluate())
    print(f"epoch {ep:2d}  " + "  ".join(f"{k} {v:.4f}" for k, v in m.items()))

majority = max(Yva.mean().item(), 1 - Yva.mean().item())
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()} | {"chance_acc": round(majority, 4), "bayes_acc": round(bayes, 4)}))
