"""Binary 'defect' detector on a 97:3 skewed synthetic sensor dataset, plain unweighted BCE.

The console prints "acc 97.1%" style lines together with per-class recall and balanced accuracy
each epoch.  Accuracy looks great, but the rare class is almost never predicted (recall ~0%),
balanced accuracy ~50%: the model just predicts the majority class.
--control weights the positive class by the inverse class frequency (pos_weight = n_neg/n_pos).
"""
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted val acc 97.6% vs majority rate 97.0%, defect recall 0% for the first epochs and 20.0% at the end (6 of 750 predicted positive, 30 true), balanced acc 60.0%; control (pos_weight=n_neg/n_pos) balanced acc 79.1%, defect recall 73.3%
# control: --control
# native-log: console.log
# log-expect: class_imbalance
# log-allow: high_bias, non_convergence
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="imb_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=4000, n_features=12, n_informative=4, n_redundant=2, weights=[0.97, 0.03],
                           class_sep=0.5, flip_y=0.0, random_state=2)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
n_pos = float(ytr.sum()); n_neg = len(ytr) - n_pos
pos_weight = torch.tensor(n_neg / n_pos) if CONTROL else None
echo(f"train: {len(ytr)} rows, defects: {int(n_pos)} ({100 * n_pos / len(ytr):.1f}%)   loss: BCEWithLogits(pos_weight={None if pos_weight is None else round(float(pos_weight), 1)})")
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
BS, EPOCHS = 128, 10


def recall(pred, t, c):
    m = t == c
    return float((pred[m] == c).float().mean())


for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx], pos_weight=pos_weight)
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        vo = model(Xva).squeeze(1); pred = (vo > 0).float()
        vl = F.binary_cross_entropy_with_logits(vo, yva, pos_weight=pos_weight).item()
        acc = float((pred == yva).float().mean()); r0, r1 = recall(pred, yva, 0), recall(pred, yva, 1)
    echo(f"ep {ep:02d} | train loss {tl / len(Xtr):.4f} | val loss {vl:.4f} | acc {100 * acc:.1f}% | "
         f"recall ok {100 * r0:.1f}% defect {100 * r1:.1f}% | balanced acc {100 * (r0 + r1) / 2:.1f}% | predicted defects {int(pred.sum())}/{int(yva.sum())}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "balanced_acc": round((r0 + r1) / 2, 4),
                                     "minority_recall": round(r1, 4), "majority_rate": round(1 - float(yva.mean()), 4)}))
