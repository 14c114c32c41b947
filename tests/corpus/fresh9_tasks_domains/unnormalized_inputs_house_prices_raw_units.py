# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_low, exploding_gradients
# forbid: *
# evidence: raw features (means 2016, 9039, 1971, ...) and $ target: after 40 epochs val RMSE $72k, val_mse/target_var 0.43 (loss 5.2e9). Control (standardised X and y): val RMSE $25.9k, val_mse/target_var 0.056 (noise floor ~0.05)
# control: --control
# House-price regression straight from the "CSV": sqft (~2000), lot size (~8000), year built (~1980),
# bedrooms, distance to centre (km), and the target in dollars (~3e5). Nobody scaled anything.
# --control: standardise features and the target with train statistics (metrics reported in $^2
# for both runs, plus the normalised MSE).
import sys
import json
import numpy as np
import torch
from torch import nn

control = "--control" in sys.argv
np.random.seed(8)
torch.manual_seed(8)
torch.set_num_threads(1)


def houses(n):
    sqft = np.random.normal(2000, 600, n).clip(500)
    lot = np.random.lognormal(9, 0.5, n)
    year = np.random.randint(1920, 2021, n).astype(float)
    beds = np.random.randint(1, 6, n).astype(float)
    dist = np.random.exponential(10, n)
    price = (120 * sqft + 4 * lot + 900 * (year - 1920) + 8000 * beds - 6000 * dist
             + 30000 * np.sin(sqft / 400) + np.random.normal(0, 25000, n) + 50000)
    X = np.stack([sqft, lot, year, beds, dist], 1).astype(np.float32)
    return X, price.astype(np.float32)


Xtr, ytr = houses(3000)
Xva, yva = houses(1000)
if control:
    mx, sx = Xtr.mean(0), Xtr.std(0)
    my, sy = ytr.mean(), ytr.std()
else:
    mx, sx, my, sy = np.zeros(5, np.float32), np.ones(5, np.float32), np.float32(0), np.float32(1)
Xtr_t, Xva_t = torch.tensor((Xtr - mx) / sx), torch.tensor((Xva - mx) / sx)
ytr_t, yva_t = torch.tensor((ytr - my) / sy), torch.tensor((yva - my) / sy)
print("feature means", Xtr_t.mean(0).numpy().round(1), "target mean", float(ytr_t.mean()))

model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
mse = nn.MSELoss()


def dollars_mse(pred_scaled, y_dollars):
    return float(((pred_scaled * sy + my - y_dollars) ** 2).mean())


for epoch in range(40):
    perm = torch.randperm(len(Xtr_t))
    for k in range(0, len(perm), 64):
        idx = perm[k:k + 64]
        loss = mse(model(Xtr_t[idx]).squeeze(1), ytr_t[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        ptr = model(Xtr_t).squeeze(1)
        pva = model(Xva_t).squeeze(1)
        tr_loss, va_loss = mse(ptr, ytr_t).item(), mse(pva, yva_t).item()
    if epoch % 5 == 0 or epoch == 39:
        print(f"epoch {epoch:2d} train_loss {tr_loss:.4g} val_loss {va_loss:.4g} val_rmse ${dollars_mse(pva, torch.tensor(yva)) ** 0.5:,.0f}")

val_mse_d = dollars_mse(pva, torch.tensor(yva))
target_var = float(np.var(yva))
print("CORPUS_METRIC " + json.dumps({"val_loss": va_loss, "train_loss": tr_loss,
                                      "val_mse": val_mse_d, "target_var": target_var,
                                      "val_mse_normalised": round(val_mse_d / target_var, 4)}))
