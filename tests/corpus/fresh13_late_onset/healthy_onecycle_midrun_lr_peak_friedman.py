# expect:
# allow:
# forbid: *
# evidence: OneCycle peak lr 0.05 at epoch 12; ends val_mse 0.328 vs Bayes 0.25 and target variance 22.07 (R2 ~0.985)
"""Regression on make_friedman1 (noise sd 0.5 -> Bayes MSE 0.25) with an MLP and
SGD + OneCycleLR (max_lr 0.05, peak at 40% of the run). The lr rises steadily for the
first 40% and the loss is noisy/bumpy around the peak, then anneals to a good fit."""
import json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(15); np.random.seed(15); random.seed(15)
torch.set_num_threads(1)
X, y = make_friedman1(n_samples=3000, n_features=10, noise=0.5, random_state=15)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=15)
sc = StandardScaler().fit(Xtr); ym, ys = ytr.mean(), ytr.std()
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr_t = torch.tensor((ytr - ym) / ys, dtype=torch.float32); yva_t = torch.tensor(yva, dtype=torch.float32)
model = nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
EPOCHS, BS = 30, 32
n = len(Xtr); spe = (n + BS - 1) // BS
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=EPOCHS * spe, pct_start=0.4)
mse = nn.MSELoss()
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        loss = mse(model(Xtr[idx]).squeeze(1), ytr_t[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        pred = model(Xva).squeeze(1) * ys + ym; vm = mse(pred, yva_t).item()
    print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.4f} train_mse(std units) {tot / n:.4f} val_mse {vm:.4f}")
with torch.no_grad():
    tm = mse(model(Xtr).squeeze(1) * ys + ym, torch.tensor(ytr, dtype=torch.float32)).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(float(yva.var()), 4), "bayes_mse": 0.25}))
