# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (100 train samples): train_loss 0.0002, train_acc 1.00, val_loss 0.499 at step 20 rising to 1.462 at step 400, val_acc 0.79 -> 0.716; control (1600 samples, same model/steps) val_loss 0.428 (min 0.389), val_acc 0.854, train_loss 0.180
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
"""A wide float64 MLP (20-256-256-2, torch.set_default_dtype(float64)) trained for a fixed
400 Adam steps on only 100 labelled samples of a noisy synthetic task (15% flipped labels).
It memorises the training set while the val loss climbs. --control: the same model and step
budget on 1600 training samples (the only change)."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import make_classification
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_default_dtype(torch.float64)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = make_classification(n_samples=2100, n_features=20, n_informative=6, n_redundant=4, flip_y=0.15, class_sep=1.0, random_state=0)
X = (X - X.mean(0)) / X.std(0)
ntr = 1600 if CONTROL else 100
Xtr, ytr = torch.tensor(X[:ntr]), torch.tensor(y[:ntr]); Xva, yva = torch.tensor(X[1600:]), torch.tensor(y[1600:])
model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
f = open(os.path.join(LOG_DIR, "history.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
B, steps, ep = 50, 0, 0
while steps < 400:
    perm = torch.randperm(ntr); tot = 0.0
    for i in range(0, ntr, B):
        idx = perm[i:i + B]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); steps += 1
    if CONTROL or ep % 10 == 9:   # log every 20-32 steps in both runs
        with torch.no_grad():
            out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
            tl = F.cross_entropy(model(Xtr), ytr).item()
        wr.writerow([ep, round(tl, 5), round(vl, 5), round(va, 4)])
        print(f"epoch {ep} step {steps} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    ep += 1
f.close()
with torch.no_grad():
    out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(model(Xtr), ytr).item(); ta = (model(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5), "train_acc": round(ta, 4), "chance_acc": 0.5}))
