# expect:
# allow:
# forbid: *
# evidence: val_acc 0.966 -> 0.987 (majority 0.611), aux regression val_mse 0.094 -> 0.023 (target var 1.0), weighted val_loss 0.208 -> 0.049 (at its minimum at the end); train_loss 0.054
# native-log: multitask_metrics.jsonl
# log-expect:
# log-allow:
"""Multi-task tabular net on sklearn breast_cancer: a shared trunk with two heads, one for the
diagnosis (cross-entropy) and one regressing the (log, standardised) 'worst area' column, which is
removed from the inputs. Loss = 1.0 * CE + 0.5 * MSE. SGD + Nesterov momentum with cosine decay.
Logs every epoch (both task losses and their weighted sum) as JSON lines."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

d = load_breast_cancer()
col = list(d.feature_names).index("worst area")
X = np.delete(d.data, col, axis=1); r = np.log(d.data[:, col]); yc = d.target
perm = np.random.permutation(len(X)); tr, va = perm[:420], perm[420:]
mu, sd = X[tr].mean(0), X[tr].std(0); rmu, rsd = r[tr].mean(), r[tr].std()
X = torch.tensor((X - mu) / sd, dtype=torch.float32); R = torch.tensor((r - rmu) / rsd, dtype=torch.float32); Y = torch.tensor(yc)
tr, va = torch.tensor(tr), torch.tensor(va)

class MultiTask(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(29, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU())
        self.cls = nn.Linear(32, 2); self.reg = nn.Linear(32, 1)
    def forward(self, x):
        h = self.trunk(x); return self.cls(h), self.reg(h).squeeze(-1)

model = MultiTask(); W_CLS, W_REG = 1.0, 0.5; EPOCHS = 15
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
log = open(os.path.join(LOG_DIR, "multitask_metrics.jsonl"), "w")
for ep in range(EPOCHS):
    model.train(); idx = tr[torch.randperm(len(tr))]; tot = []
    for b in idx.split(32):
        lc, lr_ = model(X[b]); loss = W_CLS * F.cross_entropy(lc, Y[b]) + W_REG * F.mse_loss(lr_, R[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot.append(loss.item())
    sched.step(); model.eval()
    with torch.no_grad():
        lc, lr_ = model(X[va]); vce = F.cross_entropy(lc, Y[va]).item(); vmse = F.mse_loss(lr_, R[va]).item()
        acc = (lc.argmax(1) == Y[va]).float().mean().item()
    rec = {"epoch": ep, "train_loss": round(float(np.mean(tot)), 5), "val_loss": round(W_CLS * vce + W_REG * vmse, 5),
           "val_ce": round(vce, 5), "val_mse": round(vmse, 5), "val_acc": round(acc, 4), "lr": sched.get_last_lr()[0]}
    log.write(json.dumps(rec) + "\n")
    if ep % 3 == 0 or ep == EPOCHS - 1: print(rec)
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": rec["val_loss"], "val_acc": rec["val_acc"], "val_mse": rec["val_mse"], "target_var": 1.0,
      "train_loss": rec["train_loss"], "majority_acc": round(float(max(Y[va].float().mean(), 1 - Y[va].float().mean())), 4)}))
