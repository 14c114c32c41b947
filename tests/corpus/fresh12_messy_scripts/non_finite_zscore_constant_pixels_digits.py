# expect: non_finite
# allow: non_convergence, unnormalized_inputs
# forbid: *
# evidence: z-score with std=0 on always-blank pixels -> 5200 NaN entries in X_train, loss NaN from the first batch, val_acc 0.091 (chance 0.10); control (std==0 -> 1) val_acc 0.936, val_loss 0.284
# control: --control
import sys, json, random, logging
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
log = logging.getLogger("digits")
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

X, y = load_digits(return_X_y=True)
X = X.astype(np.float32)
p = np.random.permutation(len(X)); X, y = X[p], y[p]
Xtr, Xva, ytr, yva = X[:1300], X[1300:], y[:1300], y[1300:]
mean, std = Xtr.mean(0), Xtr.std(0)
if "--control" in sys.argv:
    std[std == 0] = 1.0
with np.errstate(all="ignore"):
    Xtr = (Xtr - mean) / std       # pixel 0 (and a couple of others) are always 0 -> 0/0
    Xva = (Xva - mean) / std
log.info("nan in Xtr: %d", int(np.isnan(Xtr).sum()))
Xtr, Xva = torch.from_numpy(Xtr), torch.from_numpy(Xva)
ytr, yva = torch.from_numpy(ytr), torch.from_numpy(yva)

model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for ep in range(8):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        b = perm[i:i+64]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(b)
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item()
        acc = (o.argmax(1) == yva).float().mean().item()
    log.info("epoch %d train_loss=%.4f val_loss=%.4f val_acc=%.3f", ep, tot / len(Xtr), vl, acc)
tl = tot / len(Xtr)
fin = lambda v: v if np.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_acc": acc, "train_loss": fin(tl), "chance_acc": 0.1}))
