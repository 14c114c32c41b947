# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: synthetic 3-class tabular data with class priors 0.92/0.06/0.02 (make_classification), MLP called through a DataParallel-style wrapper (wrapper.module), RMSprop, plain cross-entropy: planted predicts the majority class for 99.8% of val rows, minority recalls 0.04 and 0.00, balanced_acc 0.346 (val_acc 0.922 = majority baseline); control (--control, cross-entropy weighted by inverse class frequency) minority recalls 0.63 and 0.72, balanced_acc 0.691 (val_acc 0.714) (balanced-accuracy chance 0.33)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.metrics import balanced_accuracy_score, recall_score

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = make_classification(n_samples=3000, n_features=12, n_informative=6, n_redundant=2, n_classes=3, n_clusters_per_class=2,
                           weights=[0.92, 0.06, 0.02], class_sep=0.8, flip_y=0.0, random_state=0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=16, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva_np = yva; yva = torch.tensor(yva)
counts = torch.bincount(ytr, minlength=3).float()
print("train class counts:", counts.tolist())


class Wrapper(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *a, **k):
        return self.module(*a, **k)


model = Wrapper(nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 3)))
weight = (counts.sum() / (3 * counts)) if CONTROL else None
opt = torch.optim.RMSprop(model.module.parameters(), lr=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
for ep in range(10):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb, weight=weight)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    pred = out.argmax(1).numpy()
    vl = F.cross_entropy(out, yva).item(); va = float((pred == yva_np).mean()); tl = tot / len(Xtr)
    bacc = balanced_accuracy_score(yva_np, pred); rec = recall_score(yva_np, pred, average=None, zero_division=0)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} balanced_acc {bacc:.4f} recall/class {np.round(rec, 3).tolist()} frac predicted majority {(pred == 0).mean():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_balanced_acc": round(float(bacc), 4), "minority_recall": [round(float(r), 3) for r in rec[1:]], "train_loss": round(tl, 4), "chance_acc": 0.92}))
