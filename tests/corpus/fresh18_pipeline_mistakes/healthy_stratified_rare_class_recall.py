"""Three-class synthetic triage table with a rare class (6%). Split with
train_test_split(stratify=y) into train/val; class-weighted cross entropy; per-class recall printed."""
# expect:
# allow:
# forbid: *
# evidence: rare class 6% (116 train / 38 val rows after stratified split); val_acc 0.97 (chance 0.33, majority 0.62), per-class val recall [0.995, 0.932, 0.921], val_loss 0.11 < train_loss 0.16 (class weights + dropout)
import os, json, random
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

X, y = make_classification(n_samples=2400, n_features=10, n_informative=6, n_redundant=0, n_classes=3,
                           n_clusters_per_class=1, weights=[0.62, 0.32, 0.06], class_sep=1.6, random_state=3)
X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)
mu, sd = X_tr.mean(0), X_tr.std(0)
X_tr, X_va = (X_tr - mu) / sd, (X_va - mu) / sd
print("train counts", np.bincount(y_tr), "val counts", np.bincount(y_va))
cw = torch.tensor(len(y_tr) / (3 * np.bincount(y_tr)), dtype=torch.float32)

Xt, yt = torch.tensor(X_tr, dtype=torch.float32), torch.tensor(y_tr)
Xv, yv = torch.tensor(X_va, dtype=torch.float32), torch.tensor(y_va)
dl = DataLoader(TensorDataset(Xt, yt), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 3))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
lossf = nn.CrossEntropyLoss(weight=cw)
for ep in range(20):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = lossf(model(xb), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval()
    with torch.no_grad():
        out = model(Xv); vl = nn.functional.cross_entropy(out, yv).item(); pred = out.argmax(1)
    acc = (pred == yv).float().mean().item()
    rec = [((pred == c) & (yv == c)).sum().item() / (yv == c).sum().item() for c in range(3)]
    if ep % 5 == 4 or ep == 19:
        print(f"epoch {ep} train_loss {tot/n:.4f} val_loss {vl:.4f} val_acc {acc:.4f} recall {[round(r,3) for r in rec]}")
print("per-class val recall", [round(r, 3) for r in rec])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tot / n, 4),
      "recall_per_class": [round(r, 4) for r in rec], "chance_acc": 0.333, "majority_acc": 0.62}))
