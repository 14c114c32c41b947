# expect:
# allow:
# forbid: *
# evidence: healthy: z-scored inputs/target, AdamW + cosine; val_mse 0.0232, train_mse 0.0240, target_var 1.03 (R^2 ~0.98)
# House-price regression done right: inputs and target z-scored with training-set statistics only,
# a small MLP, AdamW and a cosine schedule stepped per epoch.
import json
import numpy as np
import torch
import torch.nn as nn


class Scaler:
    def fit(self, a):
        self.mean_, self.std_ = a.mean(0), a.std(0) + 1e-8
        return self

    def transform(self, a):
        return (a - self.mean_) / self.std_


def houses(rng, n):
    sqft = rng.uniform(500, 4000, n); lot = rng.uniform(1000, 20000, n)
    year = rng.uniform(1950, 2022, n); rooms = rng.integers(1, 7, n).astype(float)
    price = 120 * sqft + 4 * lot + 900 * (year - 1950) + 15000 * rooms + 0.02 * sqft * (year - 1950) \
        - 3e-3 * (sqft - 2200) ** 2 + rng.normal(0, 20000, n)
    return np.stack([sqft, lot, year, rooms], 1).astype("float32"), price.astype("float32")[:, None]


rng = np.random.default_rng(280)
torch.manual_seed(28)
torch.set_num_threads(1)
xtr, ytr = houses(rng, 4000)
xva, yva = houses(rng, 1000)
xs, ys = Scaler().fit(xtr), Scaler().fit(ytr)
Xtr, Ytr = torch.tensor(xs.transform(xtr)), torch.tensor(ys.transform(ytr))
Xva, Yva = torch.tensor(xs.transform(xva)), torch.tensor(ys.transform(yva))

regressor = nn.Sequential(nn.Linear(4, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
EPOCHS = 25
opt = torch.optim.AdamW(regressor.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
loss_fn = nn.MSELoss()

for epoch in range(EPOCHS):
    regressor.train()
    for batch in torch.randperm(4000).split(64):
        loss = loss_fn(regressor(Xtr[batch]), Ytr[batch])
        opt.zero_grad(); loss.backward(); opt.step()
    sched.step()
    regressor.eval()
    with torch.no_grad():
        val_mse = loss_fn(regressor(Xva), Yva).item()
        train_mse = loss_fn(regressor(Xtr), Ytr).item()
    print(f"{epoch + 1:02d}/{EPOCHS} lr {sched.get_last_lr()[0]:.5f} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(float(Yva.var()), 4), "val_loss": round(val_mse, 4), "train_loss": round(train_mse, 4)}))
