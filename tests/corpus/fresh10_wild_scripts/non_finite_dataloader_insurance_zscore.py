# Insurance-claim cost regression with a Dataset/DataLoader. Features are z-scored by hand; in this
# extract every policy has the same `country_code` column value, so its std is 0 and 0/0 = NaN
# poisons every input row. Epoch metrics are written to a CSVLogger-style metrics.csv.
# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: constant country_code column -> 0/0 in the hand z-score -> every input row has a NaN; loss NaN from step 0, val_mse NaN after 15 epochs; --control (std 0 replaced by 1) val_mse 0.227, train_mse 0.255 (target var 1.068)
# control: --control
# native-log: metrics.csv
# log-expect: non_finite
# log-allow: non_convergence
import os, sys, csv, json, math, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, TensorDataset

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0)
rng = np.random.default_rng(0)
n = 4000
age = rng.integers(18, 65, n); bmi = rng.normal(28, 5, n); children = rng.poisson(1, n)
smoker = rng.random(n) < 0.2; region = rng.choice(4, n); country_code = np.full(n, 49)
cost = 2000 + 250 * age + 300 * np.maximum(bmi - 30, 0) * (1 + 2 * smoker) + 20000 * smoker + 500 * children + rng.normal(0, 3000, n)
X = np.column_stack([age, bmi, children, smoker, region == 0, region == 1, region == 2, region == 3, country_code]).astype(np.float32)
y = (np.log(np.maximum(cost, 500))).astype(np.float32)
tr, va = np.arange(3200), np.arange(3200, n)


def zscore(train, other):
    mu, sd = train.mean(0), train.std(0)
    if CONTROL:
        sd = np.where(sd == 0, 1.0, sd)        # guard constant columns
    return (train - mu) / sd, (other - mu) / sd


with np.errstate(invalid="ignore", divide="ignore"):
    Xtr, Xva = zscore(X[tr], X[va])
ymu, ysd = y[tr].mean(), y[tr].std()
ytr, yva = (y[tr] - ymu) / ysd, (y[va] - ymu) / ysd
train_dl = DataLoader(TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)), batch_size=64, shuffle=True)
val_dl = DataLoader(TensorDataset(torch.tensor(Xva), torch.tensor(yva)), batch_size=256)

model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
logf = open(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.csv"), "w", newline="")
w = csv.writer(logf); w.writerow(["epoch", "loss", "val_loss", "lr"])
first_nan_step, step = None, 0
for epoch in range(15):
    model.train(); tot, cnt = 0.0, 0
    for xb, yb in train_dl:
        loss = loss_fn(model(xb).squeeze(1), yb)
        opt.zero_grad(); loss.backward(); opt.step()
        if first_nan_step is None and not math.isfinite(loss.item()): first_nan_step = step
        tot += loss.item() * len(xb); cnt += len(xb); step += 1
    model.eval(); vt, vc = 0.0, 0
    with torch.no_grad():
        for xb, yb in val_dl:
            vt += loss_fn(model(xb).squeeze(1), yb).item() * len(xb); vc += len(xb)
    w.writerow([epoch, tot / cnt, vt / vc, opt.param_groups[0]["lr"]]); logf.flush()
    print(f"Epoch {epoch+1}/15 loss={tot/cnt:.4f} val_loss={vt/vc:.4f}")
logf.close()
fmt = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": fmt(vt / vc), "train_mse": fmt(tot / cnt), "target_var": round(float(yva.var()), 4), "first_nan_step": first_nan_step,
                                     "nan_input_fraction": round(float(np.isnan(Xtr).any(1).mean()), 3)}))
