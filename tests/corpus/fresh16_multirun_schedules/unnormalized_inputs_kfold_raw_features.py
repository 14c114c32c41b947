# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units
# forbid: *
# evidence: control (scaled per fold) CV val_acc 0.975 (folds 0.947-0.991), mean val_loss 0.087, train_loss 0.074; planted (raw features, means 0.004..881, stds 0.003..569) CV val_acc 0.916 (folds 0.877-0.956), val_loss 0.250, train_loss 0.253 (majority class 0.627)
# control: --control
"""5-fold cross-validation on the breast-cancer data (30 raw features, scales from ~0.001 to
~4000) with a small MLP and Adam, each fold printed. Planted cause: the raw features are fed
in as they are (the StandardScaler step was commented out). --control standardises each
fold with its own training statistics."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
X, y = load_breast_cancer(return_X_y=True)
X = X.astype(np.float32)
print(f"feature means range {X.mean(0).min():.4f} .. {X.mean(0).max():.1f}, std range {X.std(0).min():.4f} .. {X.std(0).max():.1f}")
lossf = nn.BCEWithLogitsLoss()
accs, vls, tls = [], [], []
for fold, (tr, va) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)):
    torch.manual_seed(fold)
    Xtr, Xva = X[tr], X[va]
    if CONTROL:
        mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
        Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
    ytr, yva = torch.tensor(y[tr], dtype=torch.float32), torch.tensor(y[va], dtype=torch.float32)
    model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for ep in range(12):
        perm = torch.randperm(len(Xtr)); tot = 0.0
        for i in range(0, len(Xtr), 32):
            idx = perm[i:i + 32]
            loss = lossf(model(Xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        if ep % 4 == 3:
            with torch.no_grad():
                out = model(Xva).squeeze(1); vl = lossf(out, yva).item(); acc = ((out > 0).float() == yva).float().mean().item()
            print(f"fold {fold} epoch {ep} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} val_acc {acc:.3f}")
    accs.append(acc); vls.append(vl); tls.append(tot / len(Xtr))
print(f"CV val_acc per fold {[round(a, 3) for a in accs]} mean {np.mean(accs):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(np.mean(vls)), 4), "val_acc": round(float(np.mean(accs)), 4),
                                     "train_loss": round(float(np.mean(tls)), 4), "chance_acc": 0.627, "folds": 5}))
