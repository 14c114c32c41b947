# expect:
# allow:
# forbid: *
# evidence: val_acc 1.000 from epoch 4 to 59 while train_loss falls 0.039 -> 0.0004; val_loss 0.00065 at the end (chance 0.20)
"""Well-separated 5-class Gaussian blobs (no label noise), MLP with Adam for 60 epochs.
Train loss keeps falling towards 0 for the whole second half while val accuracy sits
at its best (~1.0) and val loss stays tiny - there is nothing left to learn, so the
'train keeps improving, val flat' pattern is not overfitting here."""
import json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_blobs
from sklearn.model_selection import train_test_split

torch.manual_seed(17); np.random.seed(17); random.seed(17)
torch.set_num_threads(1)
X, y = make_blobs(n_samples=1500, centers=5, n_features=6, cluster_std=1.0, center_box=(-8, 8), random_state=17)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=17, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 5))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
n = len(Xtr)
for ep in range(60):
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, 64):
        idx = perm[i:i + 64]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    if ep % 5 == 4:
        print(f"epoch {ep:2d} train_loss {tot / n:.5f} val_loss {vl:.5f} val_acc {va:.3f}")
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item(); ta = (model(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "val_acc": round(va, 4), "train_loss": round(tl, 5), "train_acc": round(ta, 4), "chance_acc": 0.2}))
