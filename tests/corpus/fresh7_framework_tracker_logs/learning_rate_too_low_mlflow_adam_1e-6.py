# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-3) val_mse 0.031 of target variance 1.12; planted (lr=1e-6) first-step update/weight ratio 6.1e-5 (control 0.061), val_mse 1.143 after epoch 1 -> 1.106 after 20 epochs (= predicting the mean), train_mse 0.98
# control: --control
# native-log: mlruns/0/7be41f20c9d34a58b6a1e0f2d3c4b5a6
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Planted learning_rate_too_low: plain PyTorch regression (energy use of buildings from 8
standardised features, standardised target) with Adam at lr=1e-6 (a value meant for
fine-tuning a large pretrained model, copied into a from-scratch run). Per-step updates are
~1e-6 of the weights, the val MSE barely moves from its initial value in 20 epochs. Logged in
MLflow's file-store layout written by hand (mlruns/0/<run_id>/metrics/{train_loss,val_mse,lr}
with "<timestamp_ms> <value> <step>" lines, params/, tags/, meta.yaml). --control uses lr=1e-3;
nothing else changes."""
import os, sys, json, time, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(23)
CONTROL = "--control" in sys.argv
LR = 1e-3 if CONTROL else 1e-6
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUN_ID = "7be41f20c9d34a58b6a1e0f2d3c4b5a6"
EXP = os.path.join(LOGDIR, "mlruns", "0"); RUN = os.path.join(EXP, RUN_ID)
for d in ("metrics", "params", "tags", "artifacts"): os.makedirs(os.path.join(RUN, d), exist_ok=True)
T0 = int(time.time() * 1000)
open(os.path.join(EXP, "meta.yaml"), "w").write(f"artifact_location: file://{EXP}\ncreation_time: {T0}\nexperiment_id: '0'\nlast_update_time: {T0}\nlifecycle_stage: active\nname: Default\n")
def run_meta(status, end):
    open(os.path.join(RUN, "meta.yaml"), "w").write(
        f"artifact_uri: file://{RUN}/artifacts\nend_time: {end}\nentry_point_name: ''\nexperiment_id: '0'\nlifecycle_stage: active\nrun_id: {RUN_ID}\n"
        f"run_name: energy-mlp\nrun_uuid: {RUN_ID}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: {T0}\nstatus: {status}\ntags: []\nuser_id: corpus\n")
run_meta(1, "null")
for k, v in {"mlflow.runName": "energy-mlp", "mlflow.source.type": "LOCAL", "mlflow.user": "corpus"}.items(): open(os.path.join(RUN, "tags", k), "w").write(v)
for k, v in {"lr": LR, "optimizer": "adam", "epochs": 20, "batch_size": 32}.items(): open(os.path.join(RUN, "params", k), "w").write(str(v))
def log_metric(k, v, step):
    with open(os.path.join(RUN, "metrics", k), "a") as f: f.write(f"{int(time.time() * 1000)} {float(v)} {step}\n")

rng = np.random.default_rng(23)
def make(n):
    x = rng.normal(0, 1, (n, 8))
    y = 1.5 * x[:, 0] + np.tanh(x[:, 1] * x[:, 2]) - 0.8 * x[:, 3] ** 2 + 0.5 * np.sin(2 * x[:, 4]) + 0.3 * x[:, 5] + rng.normal(0, 0.2, n)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
Xtr, ytr = make(3000); Xva, yva = make(800)
m, s = ytr.mean(), ytr.std(); ytr = (ytr - m) / s; yva = (yva - m) / s
model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=LR)
step = 0
w0 = [p.detach().clone() for p in model.parameters()]
for ep in range(20):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward()
        if step == 0:
            before = [p.detach().clone() for p in model.parameters()]
        opt.step(); step += 1
        if step == 1:
            ratio = max((p.detach() - b).norm().item() / b.norm().item() for p, b in zip(model.parameters(), before) if b.norm() > 0)
        if step % 20 == 0: log_metric("train_loss", loss.item(), step); log_metric("lr", LR, step)
    with torch.no_grad(): vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    log_metric("val_mse", vl, step)
    if ep == 0: v0 = vl
run_meta(3, int(time.time() * 1000))
with torch.no_grad(): tl = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
print("probe first-step max update/weight ratio over tensors: %.2g; val_mse after epoch 1: %.3f" % (ratio, v0))
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(yva.var().item(), 4), "lr": LR}))
