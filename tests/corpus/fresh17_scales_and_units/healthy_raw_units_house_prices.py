# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 4.94e8 USD^2 looks huge but target_var is 1.88e10 (val R^2 0.974) and the noise var is 4.0e8 (sd $20k), so val rmse ~$22k is at the noise floor; train_mse 3.84e8
# native-log: house_prices.jsonl
# log-expect:
# log-allow:
"""Synthetic house prices in dollars (~1e5..6e5). Targets are standardised for training, but every logged
number is in raw dollars^2, so the MSE is ~1e8-1e9 even though R^2 is high (noise sd $20k)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(0)
n = 2000
sqft = rng.uniform(600, 4000, n); beds = rng.integers(1, 6, n); age = rng.uniform(0, 80, n)
dist = rng.uniform(0.5, 40, n); lot = rng.uniform(1000, 20000, n)
price = 50000 + 120 * sqft + 8000 * beds - 900 * age - 60000 * np.log(dist) + 3 * lot \
        + 20000 * np.sin(age / 10) + rng.normal(0, 20000, n)
X = np.stack([sqft, beds, age, dist, lot], 1)
Xtr, Xva, ytr, yva = X[:1600], X[1600:], price[:1600], price[1600:]
mu, sd = Xtr.mean(0), Xtr.std(0); ymu, ysd = ytr.mean(), ytr.std()
T = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr_t, Xva_t = T((Xtr - mu) / sd), T((Xva - mu) / sd)
ytr_t = T((ytr - ymu) / ysd).unsqueeze(1)
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
log = open(os.path.join(LOG_DIR, "house_prices.jsonl"), "w")
def raw_mse(Xt, yraw):
    with torch.no_grad():
        p = model(Xt).squeeze(1).numpy() * ysd + ymu
    return float(np.mean((p - yraw) ** 2))
step = 0
for epoch in range(40):
    perm = torch.randperm(1600)
    for i in range(0, 1600, 32):
        idx = perm[i:i + 32]
        loss = ((model(Xtr_t[idx]) - ytr_t[idx]) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
    tr, va = raw_mse(Xtr_t, ytr), raw_mse(Xva_t, yva)
    log.write(json.dumps({"epoch": epoch, "step": step, "train_mse_usd2": tr, "val_mse_usd2": va}) + "\n"); log.flush()
    print(f"epoch {epoch:2d} train_mse ${tr:.4g}^2 val_mse ${va:.4g}^2 (val rmse ${va ** 0.5:,.0f})")
log.close()
var = float(np.var(yva))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va, 1), "train_mse": round(tr, 1), "target_var": round(var, 1),
                                    "val_r2": round(1 - va / var, 4), "noise_var": 20000.0 ** 2}))
