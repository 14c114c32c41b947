"""Defect detection on a naturally skewed synthetic tabular set (9% positives). The loss is
class-weighted (pos_weight = n_neg/n_pos) and the run logs accuracy, balanced accuracy and per-class
recall; exported as a Comet/Neptune-style JSON list of series ({"name", "values": [{"step","value"}]}).
The skew is real but handled: the minority recall is high. A look-alike for class_imbalance.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val balanced accuracy 0.972, minority (defect) recall 0.963, accuracy 0.980 vs majority rate 0.91; val_loss flat at 0.14-0.17 over the last 5 epochs
# native-log: comet_export/metrics.json
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
SERIES = {}
def log_metric(name, value, step):
    SERIES.setdefault(name, []).append({"step": step, "value": float(value), "timestamp": int(time.time() * 1000)})

X, y = make_classification(n_samples=3000, n_features=16, n_informative=8, n_redundant=2, weights=[0.91, 0.09],
                           class_sep=1.2, flip_y=0.0, random_state=7)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=7, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
pos_weight = ((1 - ytr.mean()) / ytr.mean()).detach()
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
def metrics(z, t):
    p = (z > 0).float(); r1 = (p[t == 1] == 1).float().mean().item(); r0 = (p[t == 0] == 0).float().mean().item()
    return (p == t).float().mean().item(), r0, r1, (r0 + r1) / 2
for epoch in range(14):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx], pos_weight=pos_weight)
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        z = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(z, yva, pos_weight=pos_weight).item()
    acc, r0, r1, bal = metrics(z, yva)
    for k, v in {"train_loss": tot / len(Xtr), "val_loss": vl, "val_accuracy": acc, "val_balanced_accuracy": bal,
                 "val_recall_ok": r0, "val_recall_defect": r1}.items():
        log_metric(k, v, epoch)
    if epoch % 5 == 0 or epoch == 13:
        print(f"epoch {epoch} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} acc {acc:.4f} bal_acc {bal:.4f} recall_ok {r0:.4f} recall_defect {r1:.4f}")
os.makedirs(os.path.join(LOG_DIR, "comet_export"), exist_ok=True)
with open(os.path.join(LOG_DIR, "comet_export", "metrics.json"), "w") as f:
    json.dump([{"name": k, "values": v} for k, v in SERIES.items()], f)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4), "val_recall_minority": round(r1, 4),
                                     "val_recall_majority": round(r0, 4), "majority_rate": round(1 - yva.mean().item(), 4)}))
