# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, class_imbalance
# forbid: *
# evidence: uncapped warmup lr = 0.05*(step+1)/10; healthy until epoch 7 (step 112, lr 0.56, val_loss 0.10 val_acc 0.972); diverges at epoch 10 (step ~150, lr 0.77: epoch-mean train loss 3.4e11) and collapses to the majority class: ends val_loss 0.667 val_acc 0.636 (majority 0.629); control (capped at 0.05) ends val_loss 0.165 val_acc 0.965
# control: --control
# native-log: train_log.jsonl
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite
"""Breast-cancer MLP, SGD momentum with a LambdaLR 'linear warmup' whose factor
is step/warmup but the min(1, ...) cap was forgotten: the lr keeps growing
linearly for the whole run. Training is fine for a long while, then diverges."""
import os, sys, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.manual_seed(1); np.random.seed(1); random.seed(1)
torch.set_num_threads(1)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
WARMUP = 10
if CONTROL:
    lam = lambda s: min(1.0, (s + 1) / WARMUP)
else:
    lam = lambda s: (s + 1) / WARMUP          # bug: no min(1, .) -> keeps growing
sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
loss_fn = nn.BCEWithLogitsLoss()

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "train_log.jsonl"), "w")

def evaluate():
    model.eval()
    with torch.no_grad():
        out = model(Xva).squeeze(1)
        return loss_fn(out, yva).item(), ((out > 0).float() == yva).float().mean().item()

EPOCHS, BS = 40, 32
n = len(Xtr); step = 0
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(n); run = []
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        loss = loss_fn(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        lr = opt.param_groups[0]["lr"]; sched.step(); step += 1
        run.append(loss.item())
        logf.write(json.dumps({"step": step, "epoch": ep, "train_loss": loss.item() if math.isfinite(loss.item()) else None, "lr": lr}) + "\n")
    vl, va = evaluate()
    logf.write(json.dumps({"step": step, "epoch": ep, "val_loss": vl if math.isfinite(vl) else None, "val_acc": va}) + "\n")
    print(f"epoch {ep:2d} step {step} lr {lr:.3f} train_loss {np.mean(run):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
logf.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr).squeeze(1), ytr).item()
vl, va = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_loss": vl if math.isfinite(vl) else None, "val_acc": round(va, 4),
                                     "train_loss": tl if math.isfinite(tl) else None, "chance_acc": round(max(yva.mean().item(), 1 - yva.mean().item()), 4)}))
