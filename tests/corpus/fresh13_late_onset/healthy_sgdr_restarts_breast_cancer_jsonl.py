# expect:
# allow: overfitting
# forbid: *
# evidence: SGDR restarts at epochs 6 and 18 (lr back to 0.1); ends val_acc 0.972 (majority 0.629), val_loss 0.212, train_loss 0.003. Borderline: val_loss drifts 0.154 (ep 11) -> 0.211 (ep 39) while val_acc stays 0.965-0.972, so overfitting is allowed
# native-log: sgdr.jsonl
# log-expect:
# log-allow: overfitting
"""Breast-cancer MLP, SGD momentum with CosineAnnealingWarmRestarts(T_0=6, T_mult=2),
stepped per batch. At each restart (epochs 6, 18) the lr jumps back to 0.1 and the
train loss bumps up for a few steps, then recovers; the run ends well."""
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(11); np.random.seed(11); random.seed(11)
torch.set_num_threads(1)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)
model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=6, T_mult=2)
loss_fn = nn.BCEWithLogitsLoss()
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "sgdr.jsonl"), "w")
n = len(Xtr); BS = 32; nb = (n + BS - 1) // BS; step = 0
for ep in range(42):
    model.train(); perm = torch.randperm(n); tot = 0.0
    for b, i in enumerate(range(0, n, BS)):
        idx = perm[i:i + BS]
        loss = loss_fn(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        logf.write(json.dumps({"step": step, "loss": round(loss.item(), 6), "lr": opt.param_groups[0]["lr"]}) + "\n")
        sched.step(ep + (b + 1) / nb)
    model.eval()
    with torch.no_grad():
        o = model(Xva).squeeze(1); vl = loss_fn(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
    logf.write(json.dumps({"step": step, "val_loss": round(vl, 6), "val_acc": va}) + "\n")
    if ep % 4 == 3 or ep in (6, 18):
        print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.4f} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
