"""ExponentialLR(gamma=0.8) meant to be stepped once per EPOCH is stepped after every BATCH.

The training loop calls scheduler.step() inside the batch loop (copied from a OneCycle recipe).
With ~45 batches per epoch the lr falls from 0.05 to 0.05*0.8**45 ~ 2e-6 during the first epoch and
keeps decaying to ~1e-20: the updates become tiny and training stalls far from convergence.
--control: scheduler.step() once per epoch (the only change).
"""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: digits MLP, SGD 0.05 nesterov, ExponentialLR(0.8); planted (stepped per batch): lr 3.4e-6 after epoch 0, 5e-52 at the end, val_loss stuck at 2.285 (ln10=2.303) from epoch 0 on, val_acc 0.273, train_acc 0.278; control (per epoch, final lr 3.4e-3): val_loss 0.147, val_acc 0.967, train_acc 0.999 (chance 0.10)
# control: --control
# native-log: metrics.jsonl
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import argparse, json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(9); np.random.seed(9); torch.manual_seed(9)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class Config:
    lr: float = 0.05
    gamma: float = 0.8
    epochs: int = 12
    batch_size: int = 32
    sched_per_batch: bool = True


cfg = Config(sched_per_batch=not args.control)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=9, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
# small init as in the team's template (std 0.05 for all Linear weights)
for m in model:
    if isinstance(m, nn.Linear): nn.init.normal_(m.weight, std=0.05); nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=cfg.gamma)
log = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")

step = 0
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), cfg.batch_size):
        j = perm[i:i + cfg.batch_size]
        loss = F.cross_entropy(model(Xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        log.write(json.dumps({"step": step, "epoch": epoch, "train_loss": round(loss.item(), 5), "lr": opt.param_groups[0]["lr"]}) + "\n")
        if cfg.sched_per_batch:
            sched.step()
    if not cfg.sched_per_batch:
        sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    model.train()
    log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": opt.param_groups[0]["lr"]}) + "\n")
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.2e} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    out = model(Xtr); trl = F.cross_entropy(out, ytr).item(); tra = (out.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4),
                                     "chance_acc": 0.1, "final_lr": opt.param_groups[0]["lr"]}))
