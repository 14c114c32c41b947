# expect:
# allow:
# forbid: *
# evidence: 60 epochs Adam 3e-3 + cosine on z-scored features: train_mse 142, val_mse 150 vs target_var 4774 (R^2 0.97; noise floor 144, i.e. RMSE 12.0 k$)
# %% [markdown]
# # House prices - quick MLP baseline
# (exported from a notebook; cells kept as-is, everything lives in globals)

# %%
import json
import numpy as np
import torch
import torch.nn as nn
torch.manual_seed(0); np.random.seed(0)
torch.set_num_threads(1)

# %%
N = 2400
rooms = np.random.uniform(1, 8, N)
sqft = rooms * 220 + np.random.normal(0, 150, N)
age = np.random.uniform(0, 90, N)
dist = np.random.exponential(12, N)
income = np.random.lognormal(10.8, 0.35, N)
price = (40_000 + 95 * sqft - 900 * age + 14_000 * np.log1p(rooms) - 2500 * np.sqrt(dist)
         + 2.1 * income + 0.012 * sqft * (income / 1000) + np.random.normal(0, 12_000, N))
X = np.stack([rooms, sqft, age, dist, income], 1).astype(np.float32)
y = (price / 1000).astype(np.float32)   # in k$
X.shape, y.mean(), y.std()

# %%
idx = np.random.permutation(N)
tr, va = idx[:1800], idx[1800:]
mu, sd = X[tr].mean(0), X[tr].std(0)
Xn = (X - mu) / sd
y_mu, y_sd = y[tr].mean(), y[tr].std()
yn = (y - y_mu) / y_sd
Xtr, Ytr = torch.tensor(Xn[tr]), torch.tensor(yn[tr])[:, None]
Xva, Yva = torch.tensor(Xn[va]), torch.tensor(yn[va])[:, None]

# %%
net = nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=60)
lossf = nn.MSELoss()
bs = 64
losses, vlosses = [], []

# %%
for ep in range(60):
    net.train()
    perm = torch.randperm(len(Xtr))
    run = 0.
    for i in range(0, len(Xtr), bs):
        b = perm[i:i+bs]
        l = lossf(net(Xtr[b]), Ytr[b])
        opt.zero_grad(); l.backward(); opt.step()
        run += l.item() * len(b)
    sched.step()
    losses.append(run / len(Xtr))
    net.eval()
    with torch.no_grad():
        vlosses.append(lossf(net(Xva), Yva).item())
    if ep % 10 == 0 or ep == 59:
        print(ep, round(losses[-1], 4), round(vlosses[-1], 4))

# %%
with torch.no_grad():
    pred_k = net(Xva).numpy().ravel() * y_sd + y_mu
    tr_mse_k = float(((net(Xtr).numpy().ravel() * y_sd + y_mu - y[tr]) ** 2).mean())
val_mse_k = float(((pred_k - y[va]) ** 2).mean())
print("val RMSE (k$):", val_mse_k ** 0.5, " noise floor 12.0, target std", y[va].std())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse_k, 3), "target_var": round(float(y[va].var()), 3),
                                     "train_mse": round(tr_mse_k, 3), "val_loss": round(vlosses[-1], 4),
                                     "train_loss": round(losses[-1], 4)}))
