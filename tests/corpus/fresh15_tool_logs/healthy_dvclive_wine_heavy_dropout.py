"""Wine MLP with heavy dropout (p=0.2 on the inputs, p=0.6 on two hidden layers); logged with the DVCLive on-disk layout.

Because dropout is active while the training loss is measured, train/loss stays ABOVE
eval/loss for the whole run - a look-alike, not a problem. Held-out accuracy is high.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.981 (majority rate 0.39), eval/loss 0.030; train/loss with dropout active stays above eval/loss all run (epoch 20: 0.115 vs 0.063; final 0.070 vs 0.030); train loss without dropout 0.013
# native-log: dvclive
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
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

X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

P = dict(hidden=128, input_dropout=0.2, dropout=0.6, lr=1e-3, batch_size=16, epochs=40)
dv_params(P)
model = nn.Sequential(nn.Dropout(P["input_dropout"]), nn.Linear(13, P["hidden"]), nn.ReLU(), nn.Dropout(P["dropout"]),
                      nn.Linear(P["hidden"], P["hidden"]), nn.ReLU(), nn.Dropout(P["dropout"]),
                      nn.Linear(P["hidden"], 3))
opt = torch.optim.Adam(model.parameters(), lr=P["lr"])
for epoch in range(P["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), P["batch_size"]):
        idx = perm[i:i + P["batch_size"]]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    dv_log("train/loss", tot / len(Xtr), epoch); dv_log("eval/loss", vl, epoch); dv_log("eval/acc", va, epoch)
    dv_next_step(epoch)
    if epoch % 10 == 0 or epoch == P["epochs"] - 1:
        print(f"epoch {epoch} train/loss {tot/len(Xtr):.4f} eval/loss {vl:.4f} eval/acc {va:.4f}")
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss_dropout_on": round(tot / len(Xtr), 4), "train_loss": round(trl, 4), "chance_acc": round(float((yva == 1).float().mean()), 4)}))
