"""Breast-cancer table. The author calls scaler.fit(X_train) ... and then builds the
tensors from X_train / X_val instead of scaler.transform(...) (the fitted scaler is never
applied). Raw columns range from ~0.001 (fractal dimension) to ~4000 (worst area).
--control applies scaler.transform to both splits. Prints per-feature scale of the inputs."""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, high_bias
# forbid: *
# evidence: planted inputs: column means up to 878, stds from 0.0023 to 577; train_loss stalls ~0.21-0.25, val_loss 0.19, val_acc 0.937; control (scaler applied) train_loss 0.05, val_loss 0.109, val_acc 0.965; majority 0.627
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

X, y = load_breast_cancer(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
scaler = StandardScaler()
scaler.fit(X_train)
if CONTROL:
    X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
# BUG (planted run): tensors built from the raw arrays; the fitted scaler is never applied
Xt = torch.tensor(X_train, dtype=torch.float32); Xv = torch.tensor(X_val, dtype=torch.float32)
yt = torch.tensor(y_train, dtype=torch.float32); yv = torch.tensor(y_val, dtype=torch.float32)
print(f"input column means: max {Xt.mean(0).abs().max():.3f}; column stds: max {Xt.std(0).max():.3f} min {Xt.std(0).min():.4f}")

dl = DataLoader(TensorDataset(Xt, yt), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.BCEWithLogitsLoss()
for ep in range(15):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = lossf(model(xb).squeeze(1), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(Xv).squeeze(1); vl = lossf(out, yv).item(); acc = ((out > 0).float() == yv).float().mean().item()
    if ep % 2 == 0 or ep == 14:
        print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4), "majority_acc": 0.627}))
