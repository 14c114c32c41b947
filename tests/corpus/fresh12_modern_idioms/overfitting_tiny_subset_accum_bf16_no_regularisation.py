# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: wide 3-layer MLP on load_digits under bf16 autocast, AdamW(wd 0) with 2-step gradient accumulation, 60 epochs; planted trains on a 50-image subset (a debugging slice left in: Xtr[:50]) so the train loss goes to 0.0001 while val loss bottoms at 0.454 (epoch 5) and climbs to 0.508, val_acc 0.86; control (--control, the full 1347-image train split, same epochs and optimiser steps) train_loss 0.0017, val_loss 0.090 (best 0.086), val_acc 0.98 (chance 0.10)
# control: --control
# native-log: epochs.jsonl
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
log = open(os.path.join(log_dir, "epochs.jsonl"), "w")
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=23, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
if not CONTROL:
    Xtr, ytr = Xtr[:50], ytr[:50]  # BUG: debug slice left in

model = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
accum, mb = 2, 16
steps_per_epoch = 8  # fixed number of optimiser steps per "epoch" so both runs do the same work
best = (9e9, -1)
for ep in range(60):
    model.train(); tot, n = 0.0, 0
    for s in range(steps_per_epoch):
        opt.zero_grad(set_to_none=True)
        for a in range(accum):
            idx = torch.randint(0, len(Xtr), (mb,))
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            (loss / accum).backward()
            tot += loss.item() * mb; n += mb
        opt.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva).float()
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / n
    best = min(best, (vl, ep))
    log.write(json.dumps({"epoch": ep, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n"); log.flush()
    if ep % 5 == 0 or ep == 59:
        print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
print(f"best val_loss {best[0]:.4f} at epoch {best[1]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "best_val_loss": round(best[0], 4)}))
