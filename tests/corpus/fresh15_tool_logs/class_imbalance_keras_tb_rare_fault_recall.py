"""Rare-fault detector (3% positives) trained with a plain, unweighted binary cross-entropy;
logged in the Keras TensorBoard-callback layout (logs/train, logs/validation; tags epoch_loss,
epoch_accuracy, epoch_recall, epoch_learning_rate). Accuracy sits at the majority rate while the
fault recall stays near zero. --control passes class_weight={0: 1, 1: n_neg/n_pos} (the only change).
"""
# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: control (class_weight 1:32) reaches val recall(fault) 0.90, balanced accuracy 0.90; planted (unweighted) predicts "ok" for every sample: val_accuracy 0.970 = majority rate 0.97, val recall(fault) 0.00 every epoch, balanced accuracy 0.50
# control: --control
# native-log: logs
# log-expect: class_imbalance
# log-allow: high_bias, non_convergence
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
w_train = SummaryWriter(os.path.join(LOG_DIR, "logs", "train")); w_val = SummaryWriter(os.path.join(LOG_DIR, "logs", "validation"))

X, y = make_classification(n_samples=4000, n_features=12, n_informative=4, n_redundant=2, weights=[0.97, 0.03],
                           class_sep=0.6, flip_y=0.0, random_state=11)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
cw1 = float((1 - ytr.mean()) / ytr.mean()) if CONTROL else 1.0
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))
LR = 1e-3
opt = torch.optim.Adam(model.parameters(), lr=LR)
def stats(z, t):
    p = (z > 0).float()
    return (p == t).float().mean().item(), (p[t == 1] == 1).float().mean().item(), (p[t == 0] == 0).float().mean().item()
for epoch in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; zs = []; ts = []
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; z = model(Xtr[idx]).squeeze(1)
        w = torch.where(ytr[idx] == 1, torch.tensor(cw1), torch.tensor(1.0))
        loss = (F.binary_cross_entropy_with_logits(z, ytr[idx], reduction="none") * w).mean()
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); zs.append(z.detach()); ts.append(ytr[idx])
    tr_acc, tr_rec, _ = stats(torch.cat(zs), torch.cat(ts))
    model.eval()
    with torch.no_grad():
        z = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(z, yva).item()
    va, vr, vr0 = stats(z, yva)
    for k, v in {"epoch_loss": tot / len(Xtr), "epoch_accuracy": tr_acc, "epoch_recall": tr_rec, "epoch_learning_rate": LR}.items():
        w_train.add_scalar(k, v, epoch)
    for k, v in {"epoch_loss": vl, "epoch_accuracy": va, "epoch_recall": vr}.items():
        w_val.add_scalar(k, v, epoch)
    if epoch % 2 == 0 or epoch == 7:
        print(f"epoch {epoch} loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_accuracy {va:.4f} val_recall {vr:.4f}")
w_train.close(); w_val.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_recall_minority": round(vr, 4), "val_recall_majority": round(vr0, 4),
                                     "val_balanced_acc": round((vr + vr0) / 2, 4), "majority_rate": round(1 - yva.mean().item(), 4)}))
