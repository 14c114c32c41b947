"""Rare-event detection (3% positives): the config asks for class-balanced loss weights, but the
loss factory in the Trainer drops the `weight` argument (a refactor renamed cfg.class_weights ->
cfg.loss.class_weights and the old key silently defaults to None).

Plain unweighted cross-entropy on a 97/3 split: the model predicts the majority class almost
always; accuracy looks great (~0.97) while minority recall is poor.
--control: the balanced weights actually reach nn.CrossEntropyLoss (the only change).
"""
# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: 97/3 synthetic rare-event data, MLP Adam 1e-3; planted (weights dropped): predicts positive for 0.8% of val rows (true 3%), minority recall 0.28, balanced_acc 0.64, f1 0.43, val_acc 0.978 (majority rate 0.970); control (balanced weights): positive rate 5.3%, minority recall 0.67, balanced_acc 0.82, f1 0.48, val_acc 0.957 (its unweighted val_loss is higher, 0.127 vs 0.085, as expected from reweighting)
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: class_imbalance
import argparse, csv, json, os, random, tempfile
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(19); np.random.seed(19); torch.manual_seed(19)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class LossConfig:
    class_weights: object = "balanced"


@dataclass
class Config:
    lr: float = 1e-3
    epochs: int = 12
    batch_size: int = 128
    loss: LossConfig = field(default_factory=LossConfig)


cfg = Config()
X, y = make_classification(n_samples=6000, n_features=20, n_informative=6, n_redundant=2, weights=[0.97, 0.03],
                           class_sep=1.2, flip_y=0.0, random_state=19)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=19, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva_t = torch.tensor(yva)


def build_loss(cfg):
    w = getattr(cfg, "class_weights", None)          # BUG: moved to cfg.loss.class_weights
    if args.control:
        w = cfg.loss.class_weights
    if w == "balanced":
        counts = torch.bincount(ytr, minlength=2).float(); w = counts.sum() / (2 * counts)
    return nn.CrossEntropyLoss(weight=w)


criterion = build_loss(cfg)
print("loss weights:", criterion.weight)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "step", "loss", "val_loss", "val_acc", "val_balanced_acc", "val_minority_recall", "lr"])
step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        loss = criterion(model(Xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(j)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva_t).item(); pred = out.argmax(1).numpy()
    acc = float((pred == yva).mean()); bal = balanced_accuracy_score(yva, pred); rec = recall_score(yva, pred); f1 = f1_score(yva, pred)
    w.writerow([epoch, step, f"{tot / len(Xtr):.5f}", f"{vl:.5f}", f"{acc:.4f}", f"{bal:.4f}", f"{rec:.4f}", cfg.lr])
    if epoch % 3 == 2: print(f"epoch {epoch} val_loss {vl:.4f} acc {acc:.4f} balanced_acc {bal:.4f} minority recall {rec:.4f} f1 {f1:.4f} pred_pos_frac {pred.mean():.4f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4), "val_minority_recall": round(rec, 4),
                                     "val_f1": round(f1, 4), "pred_positive_frac": round(float(pred.mean()), 4), "true_positive_frac": round(float(yva.mean()), 4),
                                     "train_loss": round(tot / len(Xtr), 4), "chance_acc": round(1 - float(yva.mean()), 4)}))
