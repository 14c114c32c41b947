# expect:
# allow:
# forbid: *
# evidence: val_loss sits at 0.69 (ln2) for epochs 0-12, then drops 0.64 -> 0.11 by epoch 29; final val_acc 0.95 (chance 0.5), train_loss 0.11, no gap
# native-log: sacred_runs/1
# log-expect:
# log-allow:
"""Healthy: an early plateau that then recovers. A small MLP (tanh hidden layers, small init)
learns a 3-way sign-interaction (parity) target sign(x1*x2*x3) on 10-D inputs; for the first
epochs the loss sits near ln 2 (the symmetric saddle), then it breaks and drops to ~0.1.
Logged as Sacred's FileStorageObserver would: sacred_runs/1/{metrics.json (per metric
"steps", "values", "timestamps"), config.json, run.json, cout.txt}. Adam lr 2e-3, 30 epochs.
Nothing planted."""
import os, sys, json, tempfile, warnings, datetime
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(15)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUNDIR = os.path.join(LOGDIR, "sacred_runs", "1"); os.makedirs(RUNDIR, exist_ok=True)
metrics = {}
def log_scalar(name, value, step):
    m = metrics.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step); m["values"].append(float(value)); m["timestamps"].append(datetime.datetime.utcnow().isoformat())
def flush():
    json.dump(metrics, open(os.path.join(RUNDIR, "metrics.json"), "w"), indent=2)
cfg = {"lr": 2e-3, "epochs": 30, "batch_size": 128, "hidden": 64, "init_std": 0.05, "seed": 15}
json.dump(cfg, open(os.path.join(RUNDIR, "config.json"), "w"), indent=2)
start = datetime.datetime.utcnow().isoformat()
run = {"experiment": {"name": "parity_mlp", "mainfile": "parity.py", "base_dir": "/home/user/exp", "sources": [], "dependencies": ["torch==" + torch.__version__]},
       "command": "main", "host": {"hostname": "corpus", "os": ["Linux", ""], "python_version": sys.version.split()[0], "cpu": "cpu"},
       "start_time": start, "heartbeat": start, "status": "RUNNING", "meta": {"command": "main", "options": {}}, "resources": [], "artifacts": [], "result": None}
json.dump(run, open(os.path.join(RUNDIR, "run.json"), "w"), indent=2)
cout = open(os.path.join(RUNDIR, "cout.txt"), "w")

rng = np.random.default_rng(15)
def make(n):
    x = rng.normal(0, 1, (n, 10)); y = (x[:, 0] * x[:, 1] * x[:, 2] > 0).astype("int64")
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(6000); Xva, yva = make(1500)
model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2))
for m in model:
    if isinstance(m, nn.Linear): nn.init.normal_(m.weight, 0, 0.05); nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
step = 0
for ep in range(cfg["epochs"]):
    perm = torch.randperm(len(Xtr)); tot = 0
    for i in range(0, len(Xtr), 128):
        idx = perm[i:i + 128]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    log_scalar("training.loss", tot / len(Xtr), ep); log_scalar("validation.loss", vl, ep); log_scalar("validation.accuracy", vacc, ep)
    cout.write(f"epoch {ep} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {vacc:.4f}\n")
    flush()
with torch.no_grad(): tl = F.cross_entropy(model(Xtr), ytr).item()
run.update({"status": "COMPLETED", "stop_time": datetime.datetime.utcnow().isoformat(), "result": vacc})
json.dump(run, open(os.path.join(RUNDIR, "run.json"), "w"), indent=2); cout.close()
print("val_loss per epoch", [round(v, 3) for v in metrics["validation.loss"]["values"]])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
