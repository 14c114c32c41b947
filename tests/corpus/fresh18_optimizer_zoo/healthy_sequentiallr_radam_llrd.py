"""Deeper MLP on digits with layer-wise lr decay (each block below the head gets 0.6x the lr of the
block above), RAdam, and SequentialLR: LinearLR warmup for 2 epochs then PolynomialLR(power=2) to ~0.
The bottom layer therefore trains at ~0.13x the head lr on purpose. Writes a CSV with per-group lr."""
# expect:
# allow:
# forbid: *
# evidence: RAdam, layer-wise lr decay 0.6 (head 6e-3, bottom block 7.8e-4), LinearLR warmup -> PolynomialLR(power 2) to 0: val_loss 0.132, val_acc 0.972 (chance 0.10), train_loss 0.053; lr reaches 0 only at the last epoch after convergence
# native-log: llrd_metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, csv
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=10, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

blocks = nn.ModuleList([nn.Sequential(nn.Linear(64, 96), nn.LayerNorm(96), nn.SiLU())] +
                       [nn.Sequential(nn.Linear(96, 96), nn.LayerNorm(96), nn.SiLU()) for _ in range(3)])
head = nn.Linear(96, 10)
def forward(x):
    for b in blocks:
        x = b(x)
    return head(x)
HEAD_LR, DECAY = 6e-3, 0.6
groups = [{"params": head.parameters(), "lr": HEAD_LR, "name": "head"}]
for depth, b in enumerate(reversed(blocks), start=1):
    groups.append({"params": b.parameters(), "lr": HEAD_LR * DECAY ** depth, "name": f"block{len(blocks) - depth}"})
opt = torch.optim.RAdam(groups, weight_decay=1e-4)
EPOCHS, BS = 10, 32
spe = (len(Xtr) + BS - 1) // BS
warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2 * spe)
poly = torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=(EPOCHS - 2) * spe, power=2.0)
sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, poly], milestones=[2 * spe])
f = open(os.path.join(LOG_DIR, "llrd_metrics.csv"), "w", newline="")
names = [g["name"] for g in opt.param_groups]
w = csv.writer(f); w.writerow(["epoch", "step", "train_loss", "val_loss", "val_acc"] + [f"lr_{n}" for n in names])
step = 0
for epoch in range(EPOCHS):
    blocks.train(); head.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(forward(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        step += 1; tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    with torch.no_grad():
        out = forward(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    lrs = [g["lr"] for g in opt.param_groups]
    w.writerow([epoch, step, f"{tr:.5f}", f"{vl:.5f}", f"{va:.4f}"] + [f"{l:.4g}" for l in lrs]); f.flush()
    print(f"epoch {epoch:2d} lr_head {lrs[0]:.2e} lr_block0 {lrs[-1]:.2e} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.1}))
