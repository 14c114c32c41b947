"""Breast-cancer MLP trained with plain SGD on batches of 4; the per-step training loss is logged
(very noisy, as tiny batches are) to a Sacred FileStorageObserver run directory (runs/1/).
Epoch-level validation metrics are logged too. Healthy: the noise is just small-batch noise.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.959 (majority rate 0.626), validation.loss falls every epoch (0.484 -> 0.116); per-step training.loss over the last 100 steps ranges 0.003-0.646 (std 0.106) - batch-of-4 noise only
# native-log: runs/1
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile, datetime, platform
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- Sacred FileStorageObserver layout: runs/<id>/{config.json,run.json,metrics.json,cout.txt} ----
RUN = os.path.join(LOG_DIR, "runs", "1"); os.makedirs(RUN, exist_ok=True)
def now(): return datetime.datetime.utcnow().isoformat()
START = now(); METRICS = {}; COUT = []
def log_scalar(name, value, step):
    m = METRICS.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step); m["timestamps"].append(now()); m["values"].append(float(value))
def sprint(*a):
    s = " ".join(str(x) for x in a); print(s); COUT.append(s)
def flush(status, result=None):
    with open(os.path.join(RUN, "metrics.json"), "w") as f: json.dump(METRICS, f, indent=2)
    with open(os.path.join(RUN, "cout.txt"), "w") as f: f.write("\n".join(COUT) + "\n")
    run = {"artifacts": [], "command": "main", "experiment": {"base_dir": "/home/user/exp", "dependencies": ["numpy==1.26.4", "torch==2.3.0"],
           "mainfile": "train_bc.py", "name": "bc_sgd_batch4", "repositories": [], "sources": [["train_bc.py", "_sources/train_bc_0a1b2c.py"]]},
           "heartbeat": now(), "host": {"ENV": {}, "cpu": "Unknown", "hostname": "workstation", "os": ["Linux", "Linux"], "python_version": platform.python_version()},
           "meta": {"command": "main", "options": {"--loglevel": None, "--name": None, "UPDATE": [], "with": False}},
           "resources": [], "result": result, "start_time": START, "status": status}
    if status == "COMPLETED": run["stop_time"] = now()
    with open(os.path.join(RUN, "run.json"), "w") as f: json.dump(run, f, indent=2)

CFG = dict(batch_size=4, epochs=10, hidden=32, lr=0.01, seed=0)
with open(os.path.join(RUN, "config.json"), "w") as f: json.dump(CFG, f, indent=2)
flush("RUNNING")

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
model = nn.Sequential(nn.Linear(30, CFG["hidden"]), nn.ReLU(), nn.Linear(CFG["hidden"], 1))
opt = torch.optim.SGD(model.parameters(), lr=CFG["lr"])
step = 0
for epoch in range(CFG["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), CFG["batch_size"]):
        idx = perm[i:i + CFG["batch_size"]]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        log_scalar("training.loss", loss.item(), step); step += 1
    model.eval()
    with torch.no_grad():
        z = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(z, yva).item()
        va = ((z > 0).float() == yva).float().mean().item()
    log_scalar("validation.loss", vl, step); log_scalar("validation.accuracy", va, step)
    sprint(f"epoch {epoch} last-batch loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
tl = np.array(METRICS["training.loss"]["values"])
with torch.no_grad():
    trl = F.binary_cross_entropy_with_logits(model(Xtr).squeeze(1), ytr).item()
sprint(f"per-step training loss in the last epoch: min {tl[-100:].min():.4f} max {tl[-100:].max():.4f} std {tl[-100:].std():.4f}")
flush("COMPLETED", result=va)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "majority_acc": round(float(yva.mean()), 4)}))
