"""Digits MLP with Adam at lr=5e-2 (a typo for 5e-4... the author meant 1e-3), logged with `logging`.

Timestamped lines "... INFO epoch=2 step=80 loss=... lr=5.0e-02" every 10 steps plus a val line
each epoch.  The batch loss keeps jumping back up (0.0 -> 2.0) and the val loss bounces
between 0.5 and 2.5 instead of settling.  --control uses lr=1e-3.
"""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_convergence, dead_units, overfitting
# forbid: *
# evidence: planted (Adam lr=5e-2) val_loss bounces 1.07, 1.08, 0.55, 2.52, 1.49, 1.32, 1.46, 1.34, val_acc 0.80 at the end (peak 0.90); batch losses jump 0.0 -> 2.0; control (lr=1e-3) val_loss falls monotonically to 0.104, val_acc 0.964
# control: --control
# native-log: train.log
# log-expect: learning_rate_too_high
# log-allow: non_convergence, overfitting
import os, sys, json, random, tempfile, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

LR = 1e-3 if "--control" in sys.argv else 5e-2
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="logging_")
os.makedirs(LOG_DIR, exist_ok=True)
log = logging.getLogger("train")
log.setLevel(logging.INFO)
fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(os.path.join(LOG_DIR, "train.log"), mode="w")):
    h.setFormatter(fmt); log.addHandler(h)

X, y = load_digits(return_X_y=True)
X = ((X - X.mean(0)) / (X.std(0) + 1e-6)).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=2, stratify=y)
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=LR)
BS, EPOCHS = 32, 8
log.info("hparams: optimizer=Adam lr=%g batch_size=%d epochs=%d", LR, BS, EPOCHS)
step = 0
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 10 == 0:
            log.info("epoch=%d step=%d loss=%.4f lr=%.1e", ep, step, loss.item(), LR)
    model.eval()
    with torch.no_grad():
        vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    log.info("epoch=%d step=%d val_loss=%.4f val_acc=%.4f", ep, step, vl, va)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if np.isfinite(vl) else str(vl), "val_acc": round(va, 4), "chance_acc": 0.1}))
