"""Gradient accumulation over 8 micro-batches where the loss is NOT divided by accum_steps.

The SGD lr (0.15, momentum 0.9) was tuned on one micro-batch of 16 with no accumulation; summing 8
undivided micro-batch gradients makes every update 8x larger -> the loss oscillates / diverges.
--control: divide the loss by accum_steps (the only change).
"""
# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: digits MLP, SGD lr 0.15 mom 0.9, 8x16 accumulation; planted (loss not divided): step loss 1.37 -> 3.2 -> 5.8 oscillating, update grad norm up to 274 (control max 1.45), val_loss 12.4 at epoch 1, collapses to chance: val_acc 0.096, val_loss 2.317, train_loss 2.316; control (loss / 8): val_acc 0.976, val_loss 0.393, train_loss 0.018 (chance 0.10)
# control: --control
# native-log: steps.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence, non_finite, exploding_gradients
import argparse, csv, json, math, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(7); np.random.seed(7); torch.manual_seed(7)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class Config:
    lr: float = 0.15
    micro_batch: int = 16
    accum_steps: int = 8
    epochs: int = 10
    divide_loss: bool = False


cfg = Config(divide_loss=args.control)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9)
f = open(os.path.join(LOG_DIR, "steps.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["step", "epoch", "loss", "val_loss", "val_acc", "lr", "grad_norm"])


def evaluate():
    model.eval()
    with torch.no_grad():
        out = model(Xva); r = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
    model.train(); return r


step = 0; gnorms = []
for epoch in range(cfg.epochs):
    perm = torch.randperm(len(Xtr)); opt.zero_grad(); acc_loss = 0.0
    n_micro = len(perm) // cfg.micro_batch
    for m in range(n_micro):
        j = perm[m * cfg.micro_batch:(m + 1) * cfg.micro_batch]
        loss = F.cross_entropy(model(Xtr[j]), ytr[j])
        (loss / cfg.accum_steps if cfg.divide_loss else loss).backward()
        acc_loss += loss.item() / cfg.accum_steps
        if (m + 1) % cfg.accum_steps == 0:
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()   # measure only
            opt.step(); opt.zero_grad(); step += 1; gnorms.append(gn)
            w.writerow([step, epoch, f"{acc_loss:.5f}", "", "", cfg.lr, f"{gn:.4f}"]); acc_loss = 0.0
    vl, va = evaluate()
    w.writerow([step, epoch, "", f"{vl:.5f}", f"{va:.4f}", cfg.lr, ""]); f.flush()
    print(f"epoch {epoch} step {step} val_loss {vl:.4f} val_acc {va:.4f} median grad_norm {np.median(gnorms[-10:]):.3g}")
f.close()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
clean = lambda v: v if math.isfinite(v) else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": clean(round(vl, 4)), "val_acc": round(va, 4), "train_loss": clean(round(trl, 4)),
                                     "chance_acc": 0.1, "max_grad_norm": clean(max(gnorms))}))
