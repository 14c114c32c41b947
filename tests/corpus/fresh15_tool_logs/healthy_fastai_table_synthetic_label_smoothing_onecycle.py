"""Five-class synthetic tabular task (make_classification), MLP trained with AdamW + one-cycle and
label-smoothing cross-entropy (eps=0.1); the fastai-style progress table
(epoch  train_loss  valid_loss  accuracy  error_rate  time) is captured to fastai_log.txt.
With label smoothing the loss cannot go below ~0.5, so train_loss flattens far above zero even
though accuracy is high - a look-alike, not a non-convergence.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_acc 0.980 (chance 0.20), val NLL 0.195; the label-smoothed losses flatten at ~0.45-0.48 from epoch 3 on (the floor set by eps=0.1), train_acc 0.991
# native-log: fastai_log.txt
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
LOG = open(os.path.join(LOG_DIR, "fastai_log.txt"), "w")
COLS = ["epoch", "train_loss", "valid_loss", "accuracy", "error_rate", "time"]
def tprint(vals):
    line = "".join(f"{str(v):<{max(len(c) + 2, 10)}}" for c, v in zip(COLS, vals))
    print(line); LOG.write(line + "\n"); LOG.flush()

X, y = make_classification(n_samples=2400, n_features=20, n_informative=10, n_redundant=4, n_classes=5,
                           n_clusters_per_class=1, class_sep=1.6, flip_y=0.01, random_state=0)
X = (X - X.mean(0)) / X.std(0)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
EPOCHS, BS, MAX_LR = 10, 64, 3e-3
model = nn.Sequential(nn.Linear(20, 200), nn.BatchNorm1d(200), nn.ReLU(), nn.Linear(200, 100), nn.BatchNorm1d(100), nn.ReLU(), nn.Linear(100, 5))
opt = torch.optim.AdamW(model.parameters(), lr=MAX_LR, weight_decay=1e-2)
nb = (len(Xtr) + BS - 1) // BS
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=MAX_LR, total_steps=EPOCHS * nb, pct_start=0.25)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
tprint(COLS)
for epoch in range(EPOCHS):
    t = time.time(); model.train(); perm = torch.randperm(len(Xtr)); sm = None
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = crit(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        sm = loss.item() if sm is None else 0.98 * sm + 0.02 * loss.item()   # fastai's smoothed loss
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = crit(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    el = int(time.time() - t)
    tprint([epoch, f"{sm:.6f}", f"{vl:.6f}", f"{va:.6f}", f"{1 - va:.6f}", f"{el // 60:02d}:{el % 60:02d}"])
LOG.close()
with torch.no_grad():
    trl = crit(model(Xtr), ytr).item(); tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
    nll = F.cross_entropy(model(Xva), yva).item()
print("CORPUS_METRIC " + json.dumps({"val_loss_smoothed": round(vl, 4), "val_nll": round(nll, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.2}))
