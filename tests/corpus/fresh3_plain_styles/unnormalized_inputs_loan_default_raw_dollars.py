# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, exploding_gradients
# forbid: *
# evidence: planted (raw dollars): predicts the majority class, val_acc 0.556 = majority 0.556, val_loss 0.688; control (standardised columns): val_acc 0.909, val_loss 0.222
# control: --control
"""Loan-default classifier on a synthetic credit table: annual income (dollars), loan amount
(dollars), credit score (300-850), age (years), number of open accounts, months employed.
The raw columns go straight into an MLP (ASGD optimiser, a choice copied from an old linear
model script); the income column is ~1e5 and dominates every pre-activation while the credit
score, the strongest predictor, is drowned. --control standardises every column with the
training mean/std (nothing else changes).
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_table(n, g):
    income = torch.exp(torch.randn(n, generator=g) * 0.5 + 11.0)          # ~60k dollars
    loan = income * (0.1 + 0.5 * torch.rand(n, generator=g))               # dollars
    score = (650 + 80 * torch.randn(n, generator=g)).clamp(300, 850)
    age = (22 + 40 * torch.rand(n, generator=g)).round()
    accounts = torch.poisson(torch.full((n,), 4.0), generator=g)
    months = (age - 18).clamp(min=0) * 12 * torch.rand(n, generator=g)
    x = torch.stack([income, loan, score, age, accounts, months], 1)
    risk = (-(score - 650) / 60 + 3 * (loan / income - 0.35) - 0.3 * torch.log(income / 6e4)
            + 0.15 * (accounts - 4) - months / 300)
    y = (risk + 0.4 * torch.randn(n, generator=g) > -0.3).long()
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_table(4000, g)
    xva, yva = make_table(1500, g)
    if args.control:
        mu, sd = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.ASGD(model.parameters(), lr=0.01)
    for epoch in range(20):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {F.cross_entropy(lv, yva).item():.4f} "
              f"val_acc {(lv.argmax(1) == yva).float().mean().item():.4f}")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4),
    }))


if __name__ == "__main__":
    main()
