# expect:
# allow:
# forbid: *
# evidence: 8% positives handled with BCE pos_weight and a validation-picked threshold: test balanced_acc 0.851, AUC 0.945, positive recall 0.79, predicted-positive rate 0.147 (true 0.083) -- skewed data, not a model that predicts the majority
"""Churn-like tabular data, ~8% positives. Handled properly: BCE pos_weight = neg/pos and a
threshold picked on validation; reports balanced accuracy / recall of the rare class."""
import json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = make_classification(n_samples=5000, n_features=15, n_informative=8, n_redundant=3, weights=[0.92, 0.08],
                           class_sep=1.0, flip_y=0.01, random_state=11)
X = X.astype(np.float32)
tr, va, te = slice(0, 3500), slice(3500, 4250), slice(4250, 5000)
mu, sd = X[tr].mean(0), X[tr].std(0); X = (X - mu) / sd
print("positive rate train/val/test:", y[tr].mean().round(3), y[va].mean().round(3), y[te].mean().round(3))
Xt, yt = torch.tensor(X[tr]), torch.tensor(y[tr], dtype=torch.float32)
pos_weight = torch.tensor((1 - y[tr].mean()) / y[tr].mean(), dtype=torch.float32)
model = nn.Sequential(nn.Linear(15, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)

def scores(sl):
    model.eval()
    with torch.no_grad():
        return model(torch.tensor(X[sl])).squeeze(1).numpy()

for ep in range(15):
    model.train(); perm = torch.randperm(len(Xt)); L = []
    for i in range(0, len(Xt), 128):
        b = perm[i:i+128]
        loss = crit(model(Xt[b]).squeeze(1), yt[b]); opt.zero_grad(); loss.backward(); opt.step(); L.append(loss.item())
    s = scores(va)
    vloss = crit(torch.tensor(s), torch.tensor(y[va], dtype=torch.float32)).item()
    pred = (s > 0).astype(int)
    if ep % 3 == 2:
        print(f"ep {ep+1:02d} loss {np.mean(L):.4f} val_loss {vloss:.4f} bal_acc {balanced_accuracy_score(y[va], pred):.3f} "
              f"recall+ {recall_score(y[va], pred):.3f} auc {roc_auc_score(y[va], s):.3f} pred+ {pred.mean():.3f}")
# threshold from validation, evaluated on test
ths = np.linspace(-3, 3, 61)
best_t = ths[np.argmax([balanced_accuracy_score(y[va], (s > t).astype(int)) for t in ths])]
st = scores(te); pt = (st > best_t).astype(int)
res = {"val_loss": vloss, "val_balanced_acc": float(balanced_accuracy_score(y[va], pred)), "test_balanced_acc": float(balanced_accuracy_score(y[te], pt)),
       "test_auc": float(roc_auc_score(y[te], st)), "test_recall_pos": float(recall_score(y[te], pt)), "test_pred_pos_rate": float(pt.mean()),
       "train_loss": float(np.mean(L)), "majority_frac": float(1 - y[te].mean())}
print("CORPUS_METRIC " + json.dumps(res))
