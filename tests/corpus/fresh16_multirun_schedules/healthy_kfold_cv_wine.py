# expect:
# allow:
# forbid: *
# evidence: 5-fold CV mean val_acc 0.983 +- 0.014 (folds 1.000, 0.972, 0.972, 0.971, 1.000), mean val_loss 0.045, train_loss 0.013 (majority class 0.399)
"""5-fold stratified cross-validation on the wine data set: a fresh small MLP per fold,
features standardised with statistics of that fold's training part, AdamW, 40 full-batch
epochs. Every fold prints its curve; the script reports the mean over folds."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_wine
from sklearn.model_selection import StratifiedKFold

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_wine(return_X_y=True)
X = X.astype(np.float32)
lossf = nn.CrossEntropyLoss()
accs, vls, tls = [], [], []
for fold, (tr, va) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)):
    torch.manual_seed(fold)
    mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-6
    Xtr, Xva = torch.tensor((X[tr] - mu) / sd), torch.tensor((X[va] - mu) / sd)
    ytr, yva = torch.tensor(y[tr]), torch.tensor(y[va])
    model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=1e-2)
    for ep in range(40):
        model.train(); loss = lossf(model(Xtr), ytr)
        opt.zero_grad(); loss.backward(); opt.step()
        if ep % 10 == 9:
            model.eval()
            with torch.no_grad():
                out = model(Xva); vl = lossf(out, yva).item(); va_acc = (out.argmax(1) == yva).float().mean().item()
            print(f"fold {fold} epoch {ep} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va_acc:.3f}")
    accs.append(va_acc); vls.append(vl); tls.append(loss.item())
    print(f"fold {fold} done: val_acc {va_acc:.3f}")
print(f"CV mean val_acc {np.mean(accs):.3f} +- {np.std(accs):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(np.mean(vls)), 4), "val_acc": round(float(np.mean(accs)), 4),
                                     "train_loss": round(float(np.mean(tls)), 4), "chance_acc": 0.399, "folds": 5}))
