# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, learning_rate_too_high, saturated_activations
# forbid: *
# evidence: planted (raw columns, up to ~2e5): val_acc 0.507 = majority rate, val_loss 61; control (z-scored): val_acc 0.763, val_loss 0.476
# control: --control
"""Loan-default classifier on raw applicant columns (income in dollars, loan amount, age,
credit score, open accounts, utilisation in %). The StandardScaler step from the notebook
never made it into the training script, so columns range from ~1 to ~2e5. Control: the
same pipeline with z-scoring fitted on the training split."""
import argparse
import json
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="apply the standard scaler")
args = ap.parse_args()
torch.manual_seed(17)
torch.set_num_threads(1)
rng = np.random.default_rng(17)


def applicants(n):
    income = rng.lognormal(11.0, 0.5, n)              # ~ 60k
    loan = rng.uniform(1_000, 60_000, n)
    age = rng.uniform(21, 75, n)
    score = rng.normal(680, 60, n).clip(300, 850)
    accounts = rng.poisson(4, n).astype(float)
    util = rng.uniform(0, 100, n)
    dti = loan / income
    z = 2.5 * (dti - 0.5) - 0.02 * (score - 680) + 0.03 * (util - 50) + 0.15 * (accounts - 4) - 0.02 * (age - 45) \
        + 1.5 * (util > 80) * (score < 650)
    p = 1 / (1 + np.exp(-z))
    y = (rng.uniform(size=n) < p).astype(np.float32)
    X = np.stack([income, loan, age, score, accounts, util], 1).astype(np.float32)
    return X, y


Xtr, ytr = applicants(6000)
Xva, yva = applicants(2000)
if args.control:
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
print("feature ranges (train):", np.round(Xtr.min(0), 1), np.round(Xtr.max(0), 1))
Xtr, ytr, Xva, yva = map(torch.from_numpy, (Xtr, ytr, Xva, yva))

clf = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optim = torch.optim.Adam(clf.parameters(), lr=1e-3)
crit = nn.BCEWithLogitsLoss()

for epoch in range(15):
    clf.train()
    order = torch.randperm(len(ytr))
    for s in range(0, len(order), 64):
        b = order[s:s + 64]
        loss = crit(clf(Xtr[b]).squeeze(1), ytr[b])
        optim.zero_grad()
        loss.backward()
        optim.step()
    clf.eval()
    with torch.no_grad():
        tl = crit(clf(Xtr).squeeze(1), ytr).item()
        lo = clf(Xva).squeeze(1)
        vl = crit(lo, yva).item()
        va = ((lo > 0).float() == yva).float().mean().item()
    print(f"epoch {epoch+1} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")

maj = max(yva.mean().item(), 1 - yva.mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(maj, 4)}))
