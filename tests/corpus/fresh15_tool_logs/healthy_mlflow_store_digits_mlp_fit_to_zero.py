"""Digits MLP trained well past zero training loss; logged as an MLflow file store run.

The training loss goes to ~0 while the validation loss stays flat near its best value
(weight decay keeps the logits from growing without bound). A healthy long fit.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.980 (chance 0.10), val_loss 0.069 (flat from epoch 30 on: 0.077 -> 0.069) while train_loss falls to 0.0074
# native-log: mlruns/0/7c1f0e5b9a2d4e63b8f04d1a6c2e9b71
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- minimal MLflow FileStore writer (mlruns/<exp>/<run>/{meta.yaml,metrics,params,tags,artifacts}) ----
RUN_ID = "7c1f0e5b9a2d4e63b8f04d1a6c2e9b71"
root = os.path.join(LOG_DIR, "mlruns"); exp_dir = os.path.join(root, "0"); run_dir = os.path.join(exp_dir, RUN_ID)
for d in ("metrics", "params", "tags", "artifacts"):
    os.makedirs(os.path.join(run_dir, d), exist_ok=True)
t0 = int(time.time() * 1000)
with open(os.path.join(exp_dir, "meta.yaml"), "w") as f:
    f.write(f"artifact_location: file://{exp_dir}\ncreation_time: {t0}\nexperiment_id: '0'\n"
            f"last_update_time: {t0}\nlifecycle_stage: active\nname: Default\n")
def log_param(k, v):
    with open(os.path.join(run_dir, "params", k), "w") as f: f.write(str(v))
def log_metric(k, v, step):
    with open(os.path.join(run_dir, "metrics", k), "a") as f:
        f.write(f"{int(time.time()*1000)} {float(v)} {step}\n")
def set_tag(k, v):
    with open(os.path.join(run_dir, "tags", k), "w") as f: f.write(str(v))
def write_run_meta(status, end_time):
    with open(os.path.join(run_dir, "meta.yaml"), "w") as f:
        f.write(f"artifact_uri: file://{run_dir}/artifacts\nend_time: {end_time}\nentry_point_name: ''\n"
                f"experiment_id: '0'\nlifecycle_stage: active\nrun_id: {RUN_ID}\nrun_name: digits-mlp-long\n"
                f"run_uuid: {RUN_ID}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n"
                f"start_time: {t0}\nstatus: {status}\ntags: []\nuser_id: researcher\n")
write_run_meta(1, "null")
set_tag("mlflow.runName", "digits-mlp-long"); set_tag("mlflow.user", "researcher"); set_tag("mlflow.source.type", "LOCAL")

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

params = dict(hidden=256, lr=1e-3, weight_decay=5e-2, batch_size=64, epochs=60, optimizer="AdamW")
for k, v in params.items(): log_param(k, v)
model = nn.Sequential(nn.Linear(64, params["hidden"]), nn.ReLU(), nn.Linear(params["hidden"], 10))
opt = torch.optim.AdamW(model.parameters(), lr=params["lr"], weight_decay=params["weight_decay"])

step = 0
for epoch in range(params["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), params["batch_size"]):
        idx = perm[i:i + params["batch_size"]]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx); step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log_metric("training_loss", tot / len(Xtr), epoch)
    log_metric("val_loss", vl, epoch); log_metric("val_accuracy", va, epoch)
    if epoch % 10 == 0 or epoch == params["epochs"] - 1:
        print(f"epoch {epoch:3d} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
write_run_meta(3, int(time.time() * 1000))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 5), "chance_acc": 0.1}))
