# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (plain CE, 4% faults): val accuracy_top-1 95.8 in all 12 epochs = the majority rate 95.8% (0 of 42 val faults detected, predicted fault rate 0.000), macro recall 50.0, precision 47.9, f1 48.9; train loss 0.467 -> 0.176 within epoch 1 (the prior's entropy level), 0.131 at the end. Control (inverse-frequency class weights): macro recall 80.0, fault recall 0.667, f1 68.8 (accuracy 92.2)
# control: --control
# native-log: 20240611_101500.log.json
# log-expect: class_imbalance
# log-allow: non_convergence, high_bias
"""mmcls-0.x-style classifier for rare machine faults; mmcv's TextLoggerHook json log (.log.json).

4% of the sensor windows are faults.  The plain cross-entropy MLP collapses onto "normal": val
accuracy sits exactly at the majority rate while macro recall is 50%.  The log is mmcv 1.x's
json dump: a meta line, then {"mode": "train", "epoch", "iter", "lr", "data_time", "time", "loss"}
every 20 iterations (means over the interval) and {"mode": "val", ..., "accuracy_top-1",
"precision", "recall", "f1_score"} (macro-averaged, percent, as mmcls' eval does) each epoch.
--control reweights the loss by inverse class frequency (the usual fix); nothing else changes.
"""
import json
import os
import random
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification

torch.set_num_threads(1)
SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="mmcv_imb_")
os.makedirs(LOG_DIR, exist_ok=True)
path = os.path.join(LOG_DIR, "20240611_101500.log.json")

X, y = make_classification(n_samples=5000, n_features=20, n_informative=5, n_redundant=3, n_clusters_per_class=2,
                           weights=[0.96, 0.04], class_sep=0.7, flip_y=0.0, random_state=3)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:4000], dtype=torch.float32), torch.tensor(X[4000:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:4000]), torch.tensor(y[4000:])
counts = torch.bincount(ytr, minlength=2).float()
print(f"train class counts: normal={int(counts[0])}, fault={int(counts[1])}; val fault rate {yva.float().mean():.3f}")

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
class_weight = (counts.sum() / (2 * counts)) if CONTROL else None
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
EPOCHS, BS, INTERVAL = 12, 64, 20
cfg_text = ("model = dict(type='ImageClassifier', backbone=dict(type='MLP', in_channels=20, hidden=64), "
            "head=dict(type='LinearClsHead', num_classes=2, loss=dict(type='CrossEntropyLoss', loss_weight=1.0"
            + (", class_weight=[%.3f, %.3f]" % tuple(class_weight.tolist()) if CONTROL else "") + ")))\n"
            "optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0001)\n"
            "runner = dict(type='EpochBasedRunner', max_epochs=12)\n"
            "evaluation = dict(interval=1, metric=['accuracy', 'precision', 'recall', 'f1_score'])\n")
with open(path, "w") as f:
    f.write(json.dumps({"env_info": "sys.platform: linux\nPyTorch: " + torch.__version__ + "\nCUDA available: False",
                        "config": cfg_text, "seed": SEED, "exp_name": "mlp_fault_windows.py",
                        "mmcls_version": "0.25.0", "CLASSES": ["normal", "fault"]}) + "\n")

iters_per_epoch = (len(Xtr) + BS - 1) // BS
for epoch in range(1, EPOCHS + 1):
    model.train()
    perm = torch.randperm(len(Xtr))
    buf = {"loss": [], "time": [], "data_time": []}
    t_prev = time.time()
    for it in range(iters_per_epoch):
        t0 = time.time()
        b = perm[it * BS:(it + 1) * BS]
        xb, yb = Xtr[b], ytr[b]
        data_time = time.time() - t0
        loss = F.cross_entropy(model(xb), yb, weight=class_weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
        buf["loss"].append(loss.item())
        buf["data_time"].append(data_time)
        buf["time"].append(time.time() - t_prev)
        t_prev = time.time()
        if (it + 1) % INTERVAL == 0:
            rec = {"mode": "train", "epoch": epoch, "iter": it + 1, "lr": opt.param_groups[0]["lr"],
                   "data_time": round(float(np.mean(buf["data_time"])), 5), "loss": round(float(np.mean(buf["loss"])), 5),
                   "time": round(float(np.mean(buf["time"])), 5)}
            with open(path, "a") as f:
                f.write(json.dumps(rec) + "\n")
            buf = {"loss": [], "time": [], "data_time": []}
    model.eval()
    with torch.no_grad():
        pred = model(Xva).argmax(1)
    acc = (pred == yva).float().mean().item() * 100
    prec, rec_, f1 = [], [], []
    for c in range(2):
        tp = ((pred == c) & (yva == c)).sum().item()
        p = tp / max((pred == c).sum().item(), 1)
        r = tp / max((yva == c).sum().item(), 1)
        prec.append(p)
        rec_.append(r)
        f1.append(2 * p * r / (p + r) if p + r > 0 else 0.0)
    val = {"mode": "val", "epoch": epoch, "iter": iters_per_epoch, "lr": opt.param_groups[0]["lr"],
           "accuracy_top-1": round(acc, 4), "precision": round(100 * float(np.mean(prec)), 4),
           "recall": round(100 * float(np.mean(rec_)), 4), "f1_score": round(100 * float(np.mean(f1)), 4)}
    with open(path, "a") as f:
        f.write(json.dumps(val) + "\n")
    print(f"Epoch(val) [{epoch}][{iters_per_epoch}] accuracy_top-1: {acc:.4f}, precision: {val['precision']:.4f}, "
          f"recall: {val['recall']:.4f}, f1_score: {val['f1_score']:.4f}, fault recall: {rec_[1]:.3f}, "
          f"predicted fault rate: {(pred == 1).float().mean():.3f}")

majority = 1 - yva.float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_acc": round(acc / 100, 4), "val_balanced_acc": round(float(np.mean(rec_)), 4),
                                      "val_fault_recall": round(rec_[1], 4), "majority_rate": round(majority, 4),
                                      "train_loss_last_interval": rec["loss"]}))
