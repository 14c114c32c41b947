#!/usr/bin/env python
# coding: utf-8
# Exported Kaggle notebook: "Loan approval - PyTorch baseline". The author copied LR = 0.5 from an
# SGD tutorial and pasted it into Adam.
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units, high_bias
# forbid: *
# evidence: Adam lr=0.5: epoch-0 train_loss 4.48, then stuck predicting the majority class: val_acc 0.600 = majority 0.600, val_loss 0.682, train_loss 0.679; --control lr=1e-3 val_acc 0.791, val_loss 0.452, train_loss 0.417
# control: --control

# In[1]:
import sys, json
import numpy as np
import torch
import torch.nn as nn
from tqdm.auto import tqdm

torch.set_num_threads(1)
np.random.seed(2024); torch.manual_seed(2024)
LR = 1e-3 if "--control" in sys.argv else 0.5
EPOCHS, BATCH = 20, 32

# In[2]:  load data (synthetic stand-in for train.csv)
rng = np.random.default_rng(2024)
n = 5000
cols = {
    "applicant_income": rng.lognormal(8.5, 0.6, n),
    "coapplicant_income": rng.lognormal(7.0, 1.2, n) * (rng.random(n) < 0.6),
    "loan_amount": rng.lognormal(4.9, 0.5, n),
    "loan_term": rng.choice([120, 180, 360], n, p=[0.1, 0.2, 0.7]).astype(float),
    "credit_history": (rng.random(n) < 0.85).astype(float),
    "married": (rng.random(n) < 0.65).astype(float),
    "dependents": rng.choice(4, n).astype(float),
}
z = (2.8 * cols["credit_history"] - 2.2 + 0.8 * (np.log1p(cols["applicant_income"] + cols["coapplicant_income"]) - 8.8)
     - 0.9 * (np.log(cols["loan_amount"]) - 4.9) + 0.3 * cols["married"] - 0.1 * cols["dependents"])
approved = (rng.random(n) < 1 / (1 + np.exp(-2 * z))).astype(np.int64)
print({k: round(float(v.mean()), 2) for k, v in cols.items()}, "approved:", approved.mean().round(3))

# In[3]:  preprocessing
cols["total_income_log"] = np.log1p(cols["applicant_income"] + cols["coapplicant_income"])
cols["loan_amount_log"] = np.log(cols["loan_amount"])
cols["emi"] = cols["loan_amount"] / cols["loan_term"]
feat = ["total_income_log", "loan_amount_log", "emi", "loan_term", "credit_history", "married", "dependents"]
X = np.column_stack([cols[c] for c in feat]).astype(np.float32)
tr, va = np.arange(4000), np.arange(4000, n)
X = (X - X[tr].mean(0)) / X[tr].std(0)
Xtr, ytr, Xva, yva = torch.tensor(X[tr]), torch.tensor(approved[tr]), torch.tensor(X[va]), torch.tensor(approved[va])

# In[4]:
model = nn.Sequential(nn.Linear(len(feat), 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
criterion = nn.CrossEntropyLoss()

# In[5]:
for e in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr)); losses = []
    pbar = tqdm(range(0, len(perm), BATCH), desc=f"Epoch {e}", leave=False, file=sys.stderr)
    for i in pbar:
        b = perm[i:i + BATCH]
        optimizer.zero_grad()
        loss = criterion(model(Xtr[b]), ytr[b])
        loss.backward(); optimizer.step()
        losses.append(loss.item()); pbar.set_postfix(loss=f"{loss.item():.3f}")
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = criterion(out, yva).item(); acc = (out.argmax(1) == yva).float().mean().item()
    print(f"Epoch {e}: train_loss={np.mean(losses):.4f} val_loss={vl:.4f} val_acc={acc:.4f}")

# In[6]:
with torch.no_grad():
    out = model(Xtr); tl = criterion(out, ytr).item(); ta = (out.argmax(1) == ytr).float().mean().item()
maj = float(max(yva.float().mean(), 1 - yva.float().mean()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "majority_acc": round(maj, 4), "chance_acc": 0.5}))
