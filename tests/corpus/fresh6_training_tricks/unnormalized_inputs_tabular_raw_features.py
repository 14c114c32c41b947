# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units, saturated_activations
# forbid: *
# evidence: raw features fed straight in (income mean 6.8e4 sd 3.7e4, loan 2.4e4, age 45, debt ratio 0.3); planted train_mse swings 3e5 -> 1e4 -> 9e4 early and ends val_mse 13.9 (worse than predicting the mean; target variance 0.94); --control (z-score features with train statistics) val_mse 0.035
# control: --control
"""Loan default-amount style regression; the feature pipeline forgot the StandardScaler step.
NAdam + StepLR."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv


def make(n):
    income = torch.exp(torch.randn(n) * 0.5 + 11.0)          # ~6e4
    loan = income * (0.1 + 0.5 * torch.rand(n))               # ~2e4
    age = 20 + torch.rand(n) * 50
    debt_ratio = torch.rand(n) * 0.6
    n_cards = torch.randint(0, 8, (n,)).float()
    risk = 2.0 * (loan / income) + 3.0 * debt_ratio ** 2 - 0.02 * (age - 45) + 0.1 * n_cards
    risk = risk + 0.1 * torch.randn(n)
    return torch.stack([income, loan, age, debt_ratio, n_cards], 1), risk


xtr, ytr = make(4000)
xva, yva = make(1000)
ymu, ysd = ytr.mean(), ytr.std()
ytr, yva = (ytr - ymu) / ysd, (yva - ymu) / ysd
if CONTROL:
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
print("feature means", [f"{v:.3g}" for v in xtr.mean(0).tolist()], "stds", [f"{v:.3g}" for v in xtr.std(0).tolist()])

model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 64):
        idx = perm[s:s + 64]
        loss = F.mse_loss(model(xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    sched.step()
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(xva).squeeze(1), yva).item()
    train_mse = tot / len(xtr)
    print(f"epoch {epoch} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(yva.var().item(), 4)}))
