"""Fraud-style binary task (make_classification, 3% positives, overlapping classes), logistic
MLP trained with plain BCE and a 0.5 threshold. The log is a CSV in which the train loss is
written every epoch but validation only every 5 epochs, so val columns are empty on 4 of 5 rows;
the val rows carry accuracy, balanced accuracy and per-class recall (recall_0, recall_1). The
model ends up predicting almost only the majority class: accuracy ~ majority rate, recall_1 low."""
# expect: class_imbalance
# allow:
# forbid: *
# evidence: planted (3% positives, plain BCE): val_acc 0.971 = majority rate 0.970, recall_1 0.02, balanced acc 0.51, predicted positive rate 0.0007; control (pos_weight = n_neg/n_pos): recall_1 0.87, balanced acc 0.87
# control: --control
# native-log: fraud_metrics.csv
# log-expect: class_imbalance
# log-allow:
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import make_classification

torch.manual_seed(0); np.random.seed(0); random.seed(0); torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(logdir, exist_ok=True)
X, y = make_classification(n_samples=6000, n_features=12, n_informative=5, weights=[0.97], class_sep=0.8, flip_y=0.0, random_state=3)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva = torch.tensor(X[:4500], dtype=torch.float32), torch.tensor(X[4500:], dtype=torch.float32)
ytr, yva = torch.tensor(y[:4500], dtype=torch.float32), torch.tensor(y[4500:], dtype=torch.float32)
pw = (ytr == 0).sum() / (ytr == 1).sum()
lossf = nn.BCEWithLogitsLoss(pos_weight=pw if CONTROL else None)
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
f = open(os.path.join(logdir, "fraud_metrics.csv"), "w")
f.write("epoch,train_loss,val_loss,val_acc,val_balanced_acc,recall_0,recall_1,pos_rate_pred\n")
for ep in range(1, 26):
    model.train(); perm = torch.randperm(len(Xtr)); tot = n = 0
    for i in range(0, len(Xtr), 128):
        idx = perm[i:i + 128]
        loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); n += len(idx)
    if ep % 5 == 0:
        model.eval()
        with torch.no_grad():
            o = model(Xva).squeeze(1); vl = lossf(o, yva).item(); p = (o > 0).float()
        acc = (p == yva).float().mean().item()
        r0 = ((p == 0) & (yva == 0)).sum().item() / (yva == 0).sum().item()
        r1 = ((p == 1) & (yva == 1)).sum().item() / (yva == 1).sum().item()
        f.write(f"{ep},{tot/n:.5f},{vl:.5f},{acc:.4f},{(r0+r1)/2:.4f},{r0:.4f},{r1:.4f},{p.mean().item():.4f}\n")
    else:
        f.write(f"{ep},{tot/n:.5f},,,,,,\n")
f.close()
maj = 1 - yva.mean().item()
print(f"control={CONTROL} val_acc {acc:.4f} majority {maj:.4f} recall_0 {r0:.4f} recall_1 {r1:.4f} bal_acc {(r0+r1)/2:.4f} pred_pos_rate {p.mean().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_balanced_acc": round((r0 + r1) / 2, 4), "recall_1": round(r1, 4), "majority_rate": round(maj, 4), "train_loss": round(tot / n, 4)}))
