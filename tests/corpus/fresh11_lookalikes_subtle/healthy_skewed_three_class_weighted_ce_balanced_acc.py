"""Naturally skewed 3-class task (85% / 12% / 3%) handled with a class-weighted CE.

Look-alike: the label distribution is very skewed and plain accuracy is close
to the majority rate, so a monitor looking at label counts or at accuracy alone
would call class imbalance. The minority classes are learned: balanced accuracy
and per-class recall are reported on held-out data.
"""
# expect:
# allow:
# forbid: *
# evidence: val balanced_acc 0.952 (chance 0.333), recalls [0.984, 0.954, 0.917] for the 85/12/3% classes; plain val_acc 0.978 vs majority rate 0.85; predicted counts [1682, 257, 61] vs true [1700, 240, 60]
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(11)
np.random.seed(11)
torch.manual_seed(11)

X, y = make_classification(n_samples=8000, n_features=20, n_informative=8, n_redundant=4, n_classes=3,
                           n_clusters_per_class=1, weights=[0.85, 0.12, 0.03], class_sep=1.2,
                           flip_y=0.0, random_state=11)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr_t, yva_t = torch.tensor(ytr), torch.tensor(yva)

counts = np.bincount(ytr, minlength=3)
print("train label counts", counts.tolist())
# inverse-frequency weights damped by a 0.75 power, normalised to mean 1
w = (counts.sum() / counts) ** 0.75
w = torch.tensor(w / w.mean(), dtype=torch.float32)
print("class weights", [round(v, 3) for v in w.tolist()])

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
for epoch in range(15):
    model.train()
    perm = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(perm), 128):
        idx = perm[i:i + 128]
        loss = F.cross_entropy(model(Xtr[idx]), ytr_t[idx], weight=w)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        val_loss = F.cross_entropy(out, yva_t).item()
        pred = out.argmax(1).numpy()
    bal = balanced_accuracy_score(yva, pred)
    if epoch % 3 == 2:
        print(f"epoch {epoch} train_wce {tot / len(Xtr):.4f} val_ce {val_loss:.4f} val_acc {(pred == yva).mean():.4f} bal_acc {bal:.4f}")

rec = recall_score(yva, pred, average=None)
print("per-class recall", [round(float(r), 3) for r in rec], "predicted distribution", np.bincount(pred, minlength=3).tolist(),
      "true distribution", np.bincount(yva, minlength=3).tolist())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(float((pred == yva).mean()), 4),
                                    "val_balanced_acc": round(float(bal), 4), "recalls": [round(float(r), 4) for r in rec],
                                    "train_loss": round(tot / len(Xtr), 4), "majority_rate": round(float((yva == 0).mean()), 4),
                                    "chance_balanced_acc": 0.3333}))
