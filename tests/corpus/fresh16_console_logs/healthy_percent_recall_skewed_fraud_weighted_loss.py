"""Fraud-style 95:5 skewed binary task handled properly (class-weighted loss, pos_weight = n_neg/n_pos).

The console prints "acc 93.4%" lines with per-class recall and balanced accuracy, like the
class-imbalance case, but here the minority class is learned: the label distribution is skewed
by nature and the model handles it.  Healthy look-alike of class imbalance.
"""
# expect:
# allow:
# forbid: *
# evidence: val balanced acc 0.973, fraud recall 0.968, legit recall 0.978, acc 0.978 (majority rate 0.950); pos_weight = n_neg/n_pos = 19
# native-log: console.log
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="fraud_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=5000, n_features=16, n_informative=6, n_redundant=2, weights=[0.95, 0.05],
                           class_sep=1.5, flip_y=0.0, random_state=8)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
n_pos = float(ytr.sum()); pw = torch.tensor((len(ytr) - n_pos) / n_pos)
echo(f"class balance (train): legit {len(ytr) - int(n_pos)}  fraud {int(n_pos)}  -> pos_weight {pw.item():.1f}")
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
BS, EPOCHS = 128, 12
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx], pos_weight=pw)
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        vo = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(vo, yva, pos_weight=pw).item()
        pred = (vo > 0).float()
        acc = float((pred == yva).float().mean())
        r_legit = float((pred[yva == 0] == 0).float().mean()); r_fraud = float((pred[yva == 1] == 1).float().mean())
    echo(f"[{ep:02d}/{EPOCHS}] loss {tl / len(Xtr):.4f}  val_loss {vl:.4f}  acc {100 * acc:.1f}%  "
         f"recall(legit) {100 * r_legit:.1f}%  recall(fraud) {100 * r_fraud:.1f}%  bal_acc {100 * (r_legit + r_fraud) / 2:.1f}%")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "balanced_acc": round((r_legit + r_fraud) / 2, 4),
                                     "minority_recall": round(r_fraud, 4), "majority_rate": round(1 - float(yva.mean()), 4)}))
