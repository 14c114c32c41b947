# expect:
# allow:
# forbid: *
# evidence: 5-fold CV with a fresh model per fold (cv val_acc 0.985), then refit on all dev data: held-out val_acc 0.974 (majority 0.632), val_loss 0.090, train_loss 0.036
import json, random, logging
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.preprocessing import StandardScaler

logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(levelname)s] %(message)s", datefmt="%H:%M:%S")
log = logging.getLogger(__name__)
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

X, y = load_breast_cancer(return_X_y=True)
X_dev, X_hold, y_dev, y_hold = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)

def build():
    return nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))

def fit(Xa, ya, Xb, yb, epochs=25, tag=""):
    sc = StandardScaler().fit(Xa)
    Xa, Xb = torch.tensor(sc.transform(Xa)).float(), torch.tensor(sc.transform(Xb)).float()
    ya, yb = torch.tensor(ya).float(), torch.tensor(yb).float()
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    lf = nn.BCEWithLogitsLoss()
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(Xa)); tl = 0
        for i in range(0, len(Xa), 32):
            b = perm[i:i+32]
            loss = lf(model(Xa[b]).squeeze(-1), ya[b]); opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            o = model(Xb).squeeze(-1); vl = lf(o, yb).item()
        acc = ((o > 0).float() == yb).float().mean().item()
        if ep % 8 == 0 or ep == epochs - 1:
            log.info("%s ep %02d train_loss %.4f val_loss %.4f val_acc %.4f", tag, ep, tl / len(Xa), vl, acc)
    return tl / len(Xa), vl, acc

skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
scores = []
for k, (a, b) in enumerate(skf.split(X_dev, y_dev)):
    scores.append(fit(X_dev[a], y_dev[a], X_dev[b], y_dev[b], tag=f"fold{k}"))
scores = np.array(scores)
log.info("CV: val_loss %.4f +- %.4f   val_acc %.4f +- %.4f", scores[:, 1].mean(), scores[:, 1].std(), scores[:, 2].mean(), scores[:, 2].std())
# final: refit on all dev data, evaluate on the held-out split
tl, vl, acc = fit(X_dev, y_dev, X_hold, y_hold, tag="final")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tl, "cv_val_acc": float(scores[:, 2].mean()),
                                     "chance_acc": float(max(y_hold.mean(), 1 - y_hold.mean()))}))
