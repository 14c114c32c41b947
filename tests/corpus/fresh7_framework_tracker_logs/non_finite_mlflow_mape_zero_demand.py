# expect: non_finite
# allow: exploding_gradients, non_convergence
# forbid: *
# evidence: control (denominator clamped to >=1) val_mse 49 of target variance 184 (Poisson floor ~40), val_mape 0.13; planted: train loss inf at step 12 (first batch with a zero-demand row), NaN from then on; val_mse NaN, all weights NaN
# control: --control
# native-log: mlruns/0/a3f1c9e2b7d84c6f9e0d1b2c3a4f5e6d
# log-expect: non_finite
# log-allow: non_convergence, exploding_gradients
"""Planted non_finite: plain PyTorch demand-forecasting MLP trained with a hand-written MAPE
loss |pred - y| / y; a couple of the 4000 store-days have zero demand, so the first batch that
contains one divides by zero, the loss becomes inf, the backward pass fills the weights with
NaN and every later loss is NaN. Metrics are logged in MLflow's file-store layout written by
hand (mlruns/0/<run_id>/metrics/<name> lines "<timestamp_ms> <value> <step>", params/, tags/,
meta.yaml), as mlflow.log_metric would. --control clamps the MAPE denominator to >= 1
(the only change)."""
import os, sys, json, time, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
torch.manual_seed(11)
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUN_ID = "a3f1c9e2b7d84c6f9e0d1b2c3a4f5e6d"

class MlflowFileRun:
    """Minimal writer of MLflow's FileStore layout (what mlflow.start_run/log_* write with a file: tracking URI)."""
    def __init__(self, root, exp_id, run_id, run_name):
        self.root = os.path.join(root, "mlruns"); self.exp = os.path.join(self.root, exp_id); self.run = os.path.join(self.exp, run_id)
        for d in ("metrics", "params", "tags", "artifacts"): os.makedirs(os.path.join(self.run, d), exist_ok=True)
        now = int(time.time() * 1000); self.start = now
        if not os.path.exists(os.path.join(self.exp, "meta.yaml")):
            with open(os.path.join(self.exp, "meta.yaml"), "w") as f:
                f.write(f"artifact_location: file://{self.exp}\ncreation_time: {now}\nexperiment_id: '{exp_id}'\nlast_update_time: {now}\nlifecycle_stage: active\nname: Default\n")
        self.meta = dict(exp_id=exp_id, run_id=run_id, run_name=run_name)
        self._write_meta(status=1, end="null")
        for k, v in {"mlflow.runName": run_name, "mlflow.source.type": "LOCAL", "mlflow.source.name": "train.py", "mlflow.user": "corpus"}.items():
            self.set_tag(k, v)
    def _write_meta(self, status, end):
        m = self.meta
        with open(os.path.join(self.run, "meta.yaml"), "w") as f:
            f.write(f"artifact_uri: file://{self.run}/artifacts\nend_time: {end}\nentry_point_name: ''\nexperiment_id: '{m['exp_id']}'\n"
                    f"lifecycle_stage: active\nrun_id: {m['run_id']}\nrun_name: {m['run_name']}\nrun_uuid: {m['run_id']}\nsource_name: ''\n"
                    f"source_type: 4\nsource_version: ''\nstart_time: {self.start}\nstatus: {status}\ntags: []\nuser_id: corpus\n")
    def set_tag(self, k, v):
        with open(os.path.join(self.run, "tags", k), "w") as f: f.write(str(v))
    def log_param(self, k, v):
        with open(os.path.join(self.run, "params", k), "w") as f: f.write(str(v))
    def log_metric(self, k, v, step):
        p = os.path.join(self.run, "metrics", k); os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "a") as f: f.write(f"{int(time.time() * 1000)} {float(v)} {step}\n")
    def end(self, status=3):
        self._write_meta(status=status, end=int(time.time() * 1000))

rng = np.random.default_rng(11)
def make(n):
    dow = rng.integers(0, 7, n); promo = rng.random(n) < 0.2; temp = rng.normal(15, 8, n); store = rng.integers(0, 10, n)
    base = 20 + 3 * store + 8 * (dow >= 5) + 15 * promo + 0.4 * temp
    y = np.maximum(rng.poisson(np.maximum(base, 1)) * (rng.random(n) > 0.0005), 0).astype("float32")  # rare closed days -> 0
    x = np.stack([np.sin(2 * np.pi * dow / 7), np.cos(2 * np.pi * dow / 7), promo, (temp - 15) / 8, (store - 4.5) / 3], 1)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(4000); Xva, yva = make(1000)
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
with torch.no_grad(): model[-1].bias.fill_(30.0)
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
def mape(pred, y):
    den = y.clamp(min=1.0) if CONTROL else y
    return ((pred - y).abs() / den).mean()
run = MlflowFileRun(LOGDIR, "0", RUN_ID, "demand-mlp")
for k, v in {"lr": 3e-3, "batch_size": 64, "epochs": 10, "loss": "mape"}.items(): run.log_param(k, v)
step, first_bad = 0, None
for ep in range(10):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = mape(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if not torch.isfinite(loss) and first_bad is None: first_bad = (step, loss.item())
        if step % 5 == 0: run.log_metric("train_loss", loss.item(), step)
    with torch.no_grad():
        pv = model(Xva).squeeze(1); vl = ((pv - yva).abs() / yva.clamp(min=1.0)).mean().item(); vmse = ((pv - yva) ** 2).mean().item()
    run.log_metric("val_mape", vl, step); run.log_metric("val_mse", vmse, step)
run.end(status=3)
with torch.no_grad(): tl = ((model(Xtr).squeeze(1) - ytr).abs() / ytr.clamp(min=1.0)).mean().item()
print("probe first non-finite train loss (step, value):", first_bad, "zero-demand rows in train:", int((ytr == 0).sum()))
fin = lambda v: round(v, 4) if np.isfinite(v) else None  # null = non-finite
print("CORPUS_METRIC " + json.dumps({"val_mape": fin(vl), "val_mse": fin(vmse), "train_mape": fin(tl), "target_var": round(float(yva.var()), 3), "diverged": not np.isfinite(vmse)}))
