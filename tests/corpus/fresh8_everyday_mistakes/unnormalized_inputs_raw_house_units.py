# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, learning_rate_too_high, learning_rate_too_low, exploding_gradients
# forbid: *
# evidence: planted (raw sq ft / lot / year / rooms, standardised target): val_mse 0.524 (0.72, 0.43, 0.52 at epochs 20/25/30), train_mse 0.501, target_var 1.11; control (z-scored inputs) val_mse 0.028, train_mse 0.025
# control: --control
"""House-price regression with features in raw units (sq ft ~1e3, lot ~1e4, year ~2e3, rooms ~3).
The target is standardised, the inputs are not."""
import argparse, json
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="z-score the inputs with training statistics")
args = ap.parse_args()
torch.manual_seed(27); torch.set_num_threads(1)
rng = np.random.default_rng(270)

def houses(n):
    sqft = rng.uniform(500, 4000, n); lot = rng.uniform(1000, 20000, n)
    year = rng.uniform(1950, 2022, n); rooms = rng.integers(1, 7, n).astype(float)
    price = 120 * sqft + 4 * lot + 900 * (year - 1950) + 15000 * rooms + 0.02 * sqft * (year - 1950) \
        - 3e-3 * (sqft - 2200) ** 2 + rng.normal(0, 20000, n)
    return np.stack([sqft, lot, year, rooms], 1).astype("float32"), price.astype("float32")

xtr, ptr = houses(4000); xva, pva = houses(1000)
pm, ps = ptr.mean(), ptr.std()
ytr, yva = (ptr - pm) / ps, (pva - pm) / ps
if args.control:
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
Xtr, Ytr = torch.from_numpy(xtr), torch.from_numpy(ytr).unsqueeze(1)
Xva, Yva = torch.from_numpy(xva), torch.from_numpy(yva).unsqueeze(1)

model = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
mse = nn.MSELoss()
for epoch in range(30):
    model.train(); perm = torch.randperm(4000); s = 0.0
    for i in range(0, 4000, 64):
        j = perm[i:i + 64]
        loss = mse(model(Xtr[j]), Ytr[j]); opt.zero_grad(); loss.backward(); opt.step(); s += loss.item()
    model.eval()
    with torch.no_grad():
        vm = mse(model(Xva), Yva).item()
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1} train_mse {s / 63:.4f} val_mse {vm:.4f}")
with torch.no_grad():
    tm = mse(model(Xtr), Ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(float(yva.var()), 4),
                                      "val_loss": round(vm, 4), "train_loss": round(tm, 4)}))
