# expect:
# allow:
# forbid: *
# evidence: clean 3-arm spirals: val_loss 1.00 -> 0.0011 monotone, val_acc 1.00 (chance 0.33) while train_loss reaches 0.0013 after 50 epochs; no generalisation gap
# native-log: mlruns
# log-expect:
# log-allow:
"""Healthy: plain PyTorch loop, logged in MLflow's file-store layout written by hand (mlruns/
<experiment_id>/meta.yaml, mlruns/<experiment_id>/<run_id>/{meta.yaml,metrics/,params/,tags/}
with "<timestamp_ms> <value> <step>" metric lines). A 3-arm spiral classifier (noise-free
labels, 3000 points) trained long enough that the training loss goes to ~0 while validation
accuracy stays ~0.99: fitting the training set perfectly is fine when the labels are clean and
the data is plentiful. Adam lr 3e-3 with cosine decay, 50 epochs. Nothing planted."""
import os, sys, json, time, math, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(12)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
EXP_ID, RUN_ID = "417263518290374615", "5d0c2b1e9f7a4e3b8c6d2a1f0e9b8c7d"

def mlflow_run(root, exp_id, exp_name, run_id, run_name):
    exp = os.path.join(root, "mlruns", exp_id); run = os.path.join(exp, run_id)
    for d in ("metrics", "params", "tags", "artifacts"): os.makedirs(os.path.join(run, d), exist_ok=True)
    now = int(time.time() * 1000)
    with open(os.path.join(exp, "meta.yaml"), "w") as f:
        f.write(f"artifact_location: file://{exp}\ncreation_time: {now}\nexperiment_id: '{exp_id}'\nlast_update_time: {now}\nlifecycle_stage: active\nname: {exp_name}\n")
    def meta(status, end):
        with open(os.path.join(run, "meta.yaml"), "w") as f:
            f.write(f"artifact_uri: file://{run}/artifacts\nend_time: {end}\nentry_point_name: ''\nexperiment_id: '{exp_id}'\nlifecycle_stage: active\n"
                    f"run_id: {run_id}\nrun_name: {run_name}\nrun_uuid: {run_id}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n"
                    f"start_time: {now}\nstatus: {status}\ntags: []\nuser_id: corpus\n")
    meta(1, "null")
    for k, v in {"mlflow.runName": run_name, "mlflow.source.type": "LOCAL", "mlflow.source.name": "spirals.py", "mlflow.user": "corpus"}.items():
        open(os.path.join(run, "tags", k), "w").write(v)
    def log_param(k, v): open(os.path.join(run, "params", k), "w").write(str(v))
    def log_metric(k, v, step):
        with open(os.path.join(run, "metrics", k), "a") as f: f.write(f"{int(time.time() * 1000)} {float(v)} {step}\n")
    return log_param, log_metric, lambda: meta(3, int(time.time() * 1000))

rng = np.random.default_rng(12)
def make(n):
    y = rng.integers(0, 3, n); r = rng.uniform(0.05, 1, n)
    th = y * 2 * np.pi / 3 + r * 3.2 * np.pi
    x = np.stack([r * np.cos(th), r * np.sin(th)], 1) * 2
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(3000); Xva, yva = make(1000)
model = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 3))
EPOCHS, BS = 50, 64
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS * math.ceil(len(Xtr) / BS))
log_param, log_metric, end = mlflow_run(LOGDIR, EXP_ID, "spirals", RUN_ID, "mlp-128x2-long")
for k, v in {"lr": 3e-3, "epochs": EPOCHS, "batch_size": BS, "schedule": "cosine"}.items(): log_param(k, v)
step = 0
for ep in range(EPOCHS):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step(); step += 1; tot += loss.item() * len(idx)
        if step % 20 == 0: log_metric("train_loss_step", loss.item(), step); log_metric("lr", sched.get_last_lr()[0], step)
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    log_metric("train_loss", tot / len(Xtr), step); log_metric("val_loss", vl, step); log_metric("val_accuracy", vacc, step)
end()
with torch.no_grad(): tl = F.cross_entropy(model(Xtr), ytr).item(); tacc = (model(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 5), "train_acc": round(tacc, 4), "chance_acc": 0.3333}))
