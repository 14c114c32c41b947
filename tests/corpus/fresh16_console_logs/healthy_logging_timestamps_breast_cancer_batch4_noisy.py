"""Breast-cancer MLP trained with batch_size=4 and logged through the `logging` module.

Lines look like "2026-03-01 12:00:03,512 INFO epoch=3 step=120 loss=0.4123 lr=1.0e-03": the
per-step loss of a 4-sample batch is printed every 25 steps, so the train curve is very noisy
(single batches jump between ~0 and >0.5) while the per-epoch validation line is smooth and
good.  Healthy look-alike of an oscillating loss.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.951, val_loss 0.10 after 8 epochs (majority-class rate 0.63), val_loss 0.13 -> 0.10 smoothly; logged batch-4 losses range 0.0003-1.41 throughout
# native-log: train.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="logging_")
os.makedirs(LOG_DIR, exist_ok=True)
log = logging.getLogger("train")
log.setLevel(logging.INFO)
fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(os.path.join(LOG_DIR, "train.log"), mode="w")):
    h.setFormatter(fmt); log.addHandler(h)

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = (torch.tensor(sc.transform(a), dtype=torch.float32) for a in (Xtr, Xva))
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
BS, EPOCHS = 4, 8
log.info("start: n_train=%d n_val=%d batch_size=%d optimizer=SGD(momentum=0.9)", len(Xtr), len(Xva), BS)
step = 0
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        if step % 25 == 0:
            log.info("epoch=%d step=%d loss=%.4f lr=%.1e", ep, step, loss.item(), opt.param_groups[0]["lr"])
    model.eval()
    with torch.no_grad():
        vo = model(Xva).squeeze(1)
        vl = F.binary_cross_entropy_with_logits(vo, yva).item(); va = ((vo > 0).float() == yva).float().mean().item()
    log.info("epoch=%d step=%d val_loss=%.4f val_acc=%.4f", ep, step, vl, va)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "majority_rate": round(float(yva.mean()), 4)}))
