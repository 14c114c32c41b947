"""Breast-cancer MLP trained with Adam at lr=2e-6 (a fine-tuning lr reused for training from
scratch); DVCLive on-disk layout. --control uses lr=1e-3.
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (lr=1e-3) reaches val_acc 0.953, val_loss 0.18, train_loss 0.003; planted (lr=2e-6) crawls: train/loss 0.730 -> 0.716 in 40 epochs, val_acc 0.392 (below the majority rate 0.626); probe: largest relative weight change 9.6e-3 (control 1.35)
# control: --control
# native-log: dvclive
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# ---- DVCLive layout: dvclive/{metrics.json,params.yaml,dvc.yaml,plots/metrics/<split>/<name>.tsv} ----
DV = os.path.join(LOG_DIR, "dvclive"); os.makedirs(os.path.join(DV, "plots", "metrics"), exist_ok=True)
latest = {}
def dv_log(name, value, step):
    path = os.path.join(DV, "plots", "metrics", *name.split("/")) + ".tsv"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    new = not os.path.exists(path)
    with open(path, "a") as f:
        if new: f.write(f"step\t{name.split('/')[-1]}\n")
        f.write(f"{step}\t{value}\n")
    d = latest
    for p in name.split("/")[:-1]: d = d.setdefault(p, {})
    d[name.split("/")[-1]] = value
def dv_next_step(step):
    latest["step"] = step
    with open(os.path.join(DV, "metrics.json"), "w") as f: json.dump(latest, f, indent=4)
def dv_params(p):
    with open(os.path.join(DV, "params.yaml"), "w") as f:
        for k, v in p.items(): f.write(f"{k}: {v}\n")
with open(os.path.join(DV, "dvc.yaml"), "w") as f:
    f.write("metrics:\n- metrics.json\nparams:\n- params.yaml\nplots:\n- plots/metrics:\n    x: step\n")

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

P = dict(hidden=64, lr=1e-3 if CONTROL else 2e-6, batch_size=32, epochs=40)
dv_params(P)
model = nn.Sequential(nn.Linear(30, P["hidden"]), nn.ReLU(), nn.Linear(P["hidden"], P["hidden"]), nn.ReLU(), nn.Linear(P["hidden"], 2))
opt = torch.optim.Adam(model.parameters(), lr=P["lr"])
w0 = [p.detach().clone() for p in model.parameters()]
for epoch in range(P["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), P["batch_size"]):
        idx = perm[i:i + P["batch_size"]]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    dv_log("train/loss", tot / len(Xtr), epoch); dv_log("eval/loss", vl, epoch); dv_log("eval/valid_accuracy", va, epoch)
    dv_next_step(epoch)
    if epoch % 10 == 0 or epoch == P["epochs"] - 1:
        print(f"epoch {epoch} train/loss {tot/len(Xtr):.4f} eval/loss {vl:.4f} eval/valid_accuracy {va:.4f}")
rel = max(((p.detach() - q).norm() / q.norm()).item() for p, q in zip(model.parameters(), w0) if q.dim() > 1)
print(f"probe: largest relative weight change over the whole run = {rel:.2e}")
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "majority_acc": round(float((yva == 1).float().mean()), 4), "rel_weight_change": float(f"{rel:.3g}")}))
