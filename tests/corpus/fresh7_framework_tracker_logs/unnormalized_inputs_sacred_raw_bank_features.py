# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units, saturated_activations, exploding_gradients, learning_rate_too_high
# forbid: *
# evidence: control (standardised) val_acc 0.89, val_loss 0.25; planted (raw columns, stds up to 6e4, first-layer pre-activation std 3.4e4 vs 0.6) val_loss 38, train_loss 41, val.acc oscillating 0.43-0.57 below the majority rate 0.574
# control: --control
# native-log: sacred_runs/3
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high
"""Planted unnormalized_inputs: a bank-churn MLP fed the raw columns (balance ~1e5, salary
~6e4, credit score ~650, age ~40, tenure 0-10, products 1-4, active 0/1): the first layer's
pre-activations are in the thousands, dominated by the money columns, and the net barely learns
the age/activity effects that drive churn. Adam lr 1e-3, 15 epochs. Logged in Sacred's
FileStorageObserver layout (sacred_runs/3/metrics.json with steps/values/timestamps, config.json,
run.json). --control standardises the columns with the training-set mean/std (the only change)."""
import os, sys, json, tempfile, warnings, datetime
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(16)
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUNDIR = os.path.join(LOGDIR, "sacred_runs", "3"); os.makedirs(RUNDIR, exist_ok=True)
metrics = {}
def log_scalar(name, value, step):
    m = metrics.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step); m["values"].append(float(value)); m["timestamps"].append(datetime.datetime.utcnow().isoformat())
json.dump({"lr": 1e-3, "epochs": 15, "standardize": CONTROL, "seed": 16}, open(os.path.join(RUNDIR, "config.json"), "w"), indent=2)
start = datetime.datetime.utcnow().isoformat()
run = {"experiment": {"name": "churn", "mainfile": "churn.py", "base_dir": "/home/user/churn", "sources": [], "dependencies": []},
       "command": "train", "host": {"hostname": "corpus", "python_version": sys.version.split()[0]}, "start_time": start, "heartbeat": start,
       "status": "RUNNING", "meta": {"command": "train", "options": {}}, "resources": [], "artifacts": [], "result": None}

rng = np.random.default_rng(16)
def make(n):
    age = rng.normal(40, 12, n).clip(18, 90); tenure = rng.integers(0, 11, n); bal = np.where(rng.random(n) < 0.3, 0, rng.normal(1.2e5, 3e4, n))
    sal = rng.uniform(1e4, 2e5, n); score = rng.normal(650, 90, n); prod = rng.integers(1, 5, n); active = (rng.random(n) < 0.5).astype(float)
    z = 0.09 * (age - 40) - 1.1 * active + 0.8 * (prod >= 3) - 0.5 * (prod == 2) + 0.4 * (bal > 0) - 0.08 * (tenure - 5) - 0.003 * (score - 650) + rng.normal(0, 0.5, n)
    x = np.stack([age, tenure, bal, sal, score, prod, active], 1)
    return torch.tensor(x, dtype=torch.float32), torch.tensor((z > 0.3).astype("int64"))
Xtr, ytr = make(5000); Xva, yva = make(1500)
if CONTROL:
    mu, sd = Xtr.mean(0), Xtr.std(0); Xtr = (Xtr - mu) / sd; Xva = (Xva - mu) / sd
print("probe input column means", [round(v, 1) for v in Xtr.mean(0).tolist()], "stds", [round(v, 1) for v in Xtr.std(0).tolist()])
model = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
with torch.no_grad(): print("probe first-layer pre-activation std at init %.1f" % model[0](Xtr).std().item())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
step = 0
for ep in range(15):
    perm = torch.randperm(len(Xtr)); tot = 0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        if step % 20 == 0: log_scalar("train.loss", loss.item(), step)
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    log_scalar("val.loss", vl, step); log_scalar("val.acc", vacc, step)
    json.dump(metrics, open(os.path.join(RUNDIR, "metrics.json"), "w"))
with torch.no_grad(): tl = F.cross_entropy(model(Xtr), ytr).item()
run.update({"status": "COMPLETED", "stop_time": datetime.datetime.utcnow().isoformat(), "result": vacc})
json.dump(run, open(os.path.join(RUNDIR, "run.json"), "w"), indent=2)
maj = max(yva.float().mean().item(), 1 - yva.float().mean().item())
print("val.acc per epoch", [round(v, 3) for v in metrics["val.acc"]["values"]])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": round(maj, 4)}))
