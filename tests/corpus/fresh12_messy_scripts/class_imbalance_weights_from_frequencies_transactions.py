# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: 5% positives; planted CE weights = class frequencies [0.951, 0.049] -> model predicts 0 positives: val_acc 0.946 = majority_frac 0.946, balanced_acc 0.50, minority recall 0.00, F1 0.00; control (inverse-frequency weights [0.526, 10.27]) balanced_acc 0.883, minority recall 0.833, F1 0.55
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.metrics import f1_score, recall_score, balanced_accuracy_score

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = make_classification(n_samples=4000, n_features=12, n_informative=6, weights=[0.95, 0.05],
                           class_sep=1.2, flip_y=0.0, random_state=0)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = X[:3000], y[:3000], X[3000:], y[3000:]
counts = np.bincount(ytr)
print("class counts:", counts)
if "--control" in sys.argv:
    w = counts.sum() / (len(counts) * counts)     # inverse frequency
else:
    w = counts / counts.sum()                      # "normalised class weights"
print("class weights:", w.round(3))
crit = nn.CrossEntropyLoss(weight=torch.tensor(w, dtype=torch.float32))
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
Xt, yt, Xv = torch.from_numpy(Xtr), torch.from_numpy(ytr), torch.from_numpy(Xva)
for ep in range(15):
    perm = torch.randperm(len(Xt)); L = []
    for i in range(0, len(Xt), 64):
        b = perm[i:i+64]
        loss = crit(model(Xt[b]), yt[b])
        opt.zero_grad(); loss.backward(); opt.step(); L.append(loss.item())
    with torch.no_grad():
        logits = model(Xv)
        vl = crit(logits, torch.from_numpy(yva)).item()
    pred = logits.argmax(1).detach().cpu().numpy()
    if ep % 3 == 2:
        print(f"epoch {ep+1:02d}  loss {np.mean(L):.4f}  val {vl:.4f}  acc {(pred == yva).mean():.3f}  "
              f"minority recall {recall_score(yva, pred):.3f}  pred-positive {pred.mean():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": float((pred == yva).mean()), "train_loss": float(np.mean(L)),
      "val_balanced_acc": float(balanced_accuracy_score(yva, pred)), "val_minority_recall": float(recall_score(yva, pred)),
      "val_f1": float(f1_score(yva, pred)), "majority_frac": float(1 - yva.mean())}))
