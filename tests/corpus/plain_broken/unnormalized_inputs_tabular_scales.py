# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units, saturated_activations
# forbid: *
# evidence: planted raw features (means 5.3e4, 42, 3.0e3, 0.29, 0.01, 2.0e3; stds 2.2e4 ... 0.01): loss 0.692, val_acc 0.517 = majority 0.517; control (standardised): val_acc 0.937, val_loss 0.145
# control: --control
"""Credit-risk-like tabular data fed raw: income ~ 50,000, age ~ 40, account balance ~ 3,000,
ratios ~ 0.01. Control: standardise each feature with the training mean/std."""
import argparse
import json

import numpy as np
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="standardise the features")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)


def generate(n):
    income = rng.lognormal(10.8, 0.4, n)              # ~ 50k
    age = rng.normal(42, 12, n).clip(18, 90)
    balance = rng.normal(3000, 2500, n)
    utilisation = rng.beta(2, 5, n)                   # 0..1
    late_ratio = rng.exponential(0.01, n)             # ~ 0.01
    tenure_days = rng.uniform(0, 4000, n)
    X = np.stack([income, age, balance, utilisation, late_ratio, tenure_days], 1)
    z = (-1.2 * (np.log(income) - 10.8) / 0.4 + 1.5 * (utilisation - 0.29) / 0.16
         + 1.3 * (late_ratio - 0.01) / 0.01 - 0.8 * (balance - 3000) / 2500
         + 0.5 * ((age - 42) / 12) ** 2 - 0.5)
    y = (z + rng.normal(0, 0.5, n) > 0).astype(np.int64)
    return X.astype(np.float32), y


Xtr, ytr = generate(5000)
Xva, yva = generate(1000)
if args.control:
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, Xva = torch.from_numpy(Xtr), torch.from_numpy(Xva)
ytr, yva = torch.from_numpy(ytr), torch.from_numpy(yva)
print("feature means:", np.round(Xtr.mean(0).numpy(), 3), "stds:", np.round(Xtr.std(0).numpy(), 3))

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(12):
    model.train()
    perm = torch.randperm(len(Xtr))
    losses = []
    for i in range(0, len(Xtr), 64):
        b = perm[i:i + 64]
        loss = loss_fn(model(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(Xva)
        val_loss = loss_fn(logits, yva).item()
        val_acc = (logits.argmax(1) == yva).float().mean().item()
    print(f"Epoch {epoch + 1}: train_loss={np.mean(losses):.4f} val_loss={val_loss:.4f} val_acc={val_acc:.3f}")

fin = lambda v: round(float(v), 4) if np.isfinite(v) else None
maj = max(yva.float().mean().item(), 1 - yva.float().mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(val_loss), "val_acc": round(val_acc, 4),
                                     "train_loss": fin(np.mean(losses)), "chance_acc": round(maj, 4)}))
