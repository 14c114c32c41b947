"""Digits MLP with SGD+momentum at lr=0.8 (someone copied the lr of a linear-probe recipe);
logged as an MLflow file store run. --control uses lr=0.05.
"""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units
# forbid: *
# evidence: control (lr=0.05) reaches val_acc 0.972, val_loss 0.078; planted (lr=0.8) jumps around (train_loss 0.49 -> 0.72 -> 0.48 -> 1.41 epoch to epoch, rising in the second half) and ends at val_acc 0.576, val_loss 0.99 (chance 0.10)
# control: --control
# native-log: mlruns/0/a41d9e07c3b84f2e9d51f6e2b0c87a13
# log-expect: learning_rate_too_high
# log-allow: non_convergence
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- minimal MLflow FileStore writer (mlruns/<exp>/<run>/{meta.yaml,metrics,params,tags,artifacts}) ----
RUN_ID = "a41d9e07c3b84f2e9d51f6e2b0c87a13"
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
                f"experiment_id: '0'\nlifecycle_stage: active\nrun_id: {RUN_ID}\nrun_name: digits-mlp-sgd\n"
                f"run_uuid: {RUN_ID}\nsource_name: ''\nsource_type: 4\nsource_version: ''\n"
                f"start_time: {t0}\nstatus: {status}\ntags: []\nuser_id: researcher\n")
write_run_meta(1, "null")
set_tag("mlflow.runName", "digits-mlp-sgd"); set_tag("mlflow.user", "researcher"); set_tag("mlflow.source.type", "LOCAL")

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

params = dict(hidden=128, lr=0.05 if CONTROL else 0.8, momentum=0.9, batch_size=64, epochs=30, optimizer="SGD")
for k, v in params.items(): log_param(k, v)
model = nn.Sequential(nn.Linear(64, params["hidden"]), nn.ReLU(), nn.Linear(params["hidden"], 10))
opt = torch.optim.SGD(model.parameters(), lr=params["lr"], momentum=params["momentum"])

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
    if epoch % 5 == 0 or epoch == params["epochs"] - 1:
        print(f"epoch {epoch:3d} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
write_run_meta(3, int(time.time() * 1000))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 5), "chance_acc": 0.1}))
