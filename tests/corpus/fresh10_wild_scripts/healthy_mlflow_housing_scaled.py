# House-price regression MLP; metrics/params written to an MLflow-style file store by hand.
# expect:
# allow:
# forbid: *
# evidence: healthy twin of unnormalized_inputs_mlflow_housing (features z-scored): val_mse 0.080, train_mse 0.058, target var 0.97, irreducible noise var 0.062
# native-log: mlruns
# log-expect:
# log-allow:
import os, sys, json, time, uuid, argparse, tempfile
import numpy as np
import torch
import torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=60)
args = ap.parse_args()

torch.set_num_threads(1)
torch.manual_seed(11); np.random.seed(11)
rng = np.random.default_rng(11)

# ---- synthetic "housing" table: raw units, very different scales
n = 3000
sqft = rng.normal(1800, 600, n).clip(400, 5000)
lot = rng.lognormal(8.8, 0.6, n)                 # ~ 6000 sq ft
year = rng.integers(1900, 2020, n).astype(float)
rooms = rng.integers(1, 7, n).astype(float)
dist_km = rng.gamma(2.0, 6.0, n)
income = rng.normal(65000, 20000, n).clip(15000, None)   # neighbourhood median income
price = (120 * sqft + 4 * np.sqrt(lot) * 100 + 900 * (year - 1960) + 15000 * rooms
         - 60000 * np.log1p(dist_km) + 2.2 * income + 40 * sqft * (dist_km < 5))
price = price + rng.normal(0, 30000, n)
X = np.column_stack([sqft, lot, year, rooms, dist_km, income]).astype(np.float32)
y = price.astype(np.float32)
tr, va = np.arange(0, 2400), np.arange(2400, n)
y_mu, y_sd = y[tr].mean(), y[tr].std()
y = (y - y_mu) / y_sd                           # target is scaled in both runs
if True:  # z-score with train statistics
    mu, sd = X[tr].mean(0), X[tr].std(0)
    X = (X - mu) / sd
Xtr, ytr, Xva, yva = (torch.tensor(a) for a in (X[tr], y[tr], X[va], y[va]))
noise_var = (30000 / y_sd) ** 2

# ---- tiny hand-rolled MLflow file store
root = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "mlruns", "0")
run_id = uuid.UUID(int=rng.integers(0, 2**63)).hex
run_dir = os.path.join(root, run_id)
for sub in ("metrics", "params", "tags"):
    os.makedirs(os.path.join(run_dir, sub), exist_ok=True)
with open(os.path.join(root, "meta.yaml"), "w") as f:
    f.write(f"artifact_location: file://{root}\nexperiment_id: '0'\nlifecycle_stage: active\nname: Default\n")
with open(os.path.join(run_dir, "meta.yaml"), "w") as f:
    f.write(f"run_id: {run_id}\nexperiment_id: '0'\nstatus: 1\nstart_time: {int(time.time()*1000)}\nlifecycle_stage: active\n")


def log_param(k, v):
    with open(os.path.join(run_dir, "params", k), "w") as f:
        f.write(str(v))


def log_metric(k, v, step):
    with open(os.path.join(run_dir, "metrics", k), "a") as f:
        f.write(f"{int(time.time()*1000)} {float(v)} {step}\n")


params = {"lr": 1e-3, "batch_size": 64, "hidden": 64, "epochs": args.epochs, "optimizer": "adam"}
for k, v in params.items():
    log_param(k, v)

model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=params["lr"])
mse = nn.MSELoss()
for epoch in range(args.epochs):
    model.train()
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), params["batch_size"]):
        b = perm[i:i + params["batch_size"]]
        loss = mse(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        vl = mse(model(Xva).squeeze(1), yva).item()
    log_metric("train_loss", tot / len(Xtr), epoch)
    log_metric("val_loss", vl, epoch)
    if epoch % 10 == 0 or epoch == args.epochs - 1:
        print(f"epoch {epoch:3d} train_mse {tot/len(Xtr):.4f} val_mse {vl:.4f}")
with torch.no_grad():
    tl = mse(model(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(float(yva.var()), 4), "noise_var": round(float(noise_var), 4)}))
