# expect: class_imbalance
# allow: high_bias, non_convergence, learning_rate_too_low
# forbid: *
# evidence: planted (unweighted BCE, 3% positives): predicts no positive at all for 12 epochs, val_acc 0.9667 = majority share, minority recall 0.00, balanced acc 0.50; control (pos_weight=n_neg/n_pos): minority recall 0.74, balanced acc 0.78 (val_acc 0.82)
# control: --control
# native-log: metrics_wide.csv
# log-expect:
# log-allow: class_imbalance, high_bias, non_convergence, learning_rate_too_low
"""Rare-event detector (3% positives). Plain unweighted BCE: the net settles on 'always negative'
(val accuracy ~= share of negatives, minority recall ~0). --control uses pos_weight = n_neg/n_pos.
The log is a wide CSV: one row per metric, one column per epoch (how a spreadsheet-lover saved it)."""
import argparse, json, os, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification

a = argparse.ArgumentParser(); a.add_argument("--control", action="store_true"); A = a.parse_args()
torch.set_num_threads(1); torch.manual_seed(23)

X, y = make_classification(n_samples=6000, n_features=12, n_informative=4, n_redundant=2, weights=[0.97, 0.03],
                           class_sep=0.35, flip_y=0.0, random_state=23)
X = ((X - X[:4500].mean(0)) / X[:4500].std(0)).astype(np.float32)
Xtr, ytr = torch.tensor(X[:4500]), torch.tensor(y[:4500], dtype=torch.float32)
Xva, yva = torch.tensor(X[4500:]), torch.tensor(y[4500:], dtype=torch.float32)
pos_weight = torch.tensor(float((ytr == 0).sum() / (ytr == 1).sum())) if A.control else None
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
clf = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(clf.parameters(), lr=0.02, momentum=0.9)

hist = {k: [] for k in ["train_loss", "val_loss", "val_acc", "val_recall_pos", "lr"]}
for epoch in range(12):
    clf.train(); tot = 0.0
    for b in torch.randperm(4500).split(128):
        l = crit(clf(Xtr[b]).squeeze(1), ytr[b]); opt.zero_grad(); l.backward(); opt.step(); tot += l.item() * len(b)
    clf.eval()
    with torch.no_grad():
        z = clf(Xva).squeeze(1); pred = (z > 0).float()
        vl = crit(z, yva).item(); acc = (pred == yva).float().mean().item()
        rec = (pred[yva == 1] == 1).float().mean().item()
    for k, v in zip(hist, [tot / 4500, vl, acc, rec, 0.02]):
        hist[k].append(v)
    print(f"epoch {epoch + 1}: train_loss {tot / 4500:.4f} val_loss {vl:.4f} val_acc {acc:.4f} recall_pos {rec:.3f} predicted_pos {int(pred.sum())}")

out = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics_wide.csv")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as f:
    f.write("metric," + ",".join(f"epoch_{i + 1}" for i in range(len(hist["val_loss"]))) + "\n")
    for k, vs in hist.items():
        f.write(k + "," + ",".join(f"{v:.6g}" for v in vs) + "\n")

with torch.no_grad():
    tl = crit(clf(Xtr).squeeze(1), ytr).item()
bal = 0.5 * (rec + (pred[yva == 0] == 0).float().mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "train_loss": round(tl, 4),
                                     "chance_acc": round(1 - yva.mean().item(), 4), "val_balanced_acc": round(bal, 4),
                                     "val_recall_minority": round(rec, 4)}))
