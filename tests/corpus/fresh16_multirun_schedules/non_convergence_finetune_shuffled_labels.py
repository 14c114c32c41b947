# expect: non_convergence
# allow: overfitting, high_variance, high_bias
# forbid: *
# evidence: control (aligned labels) fine-tune val_acc 0.970, val_loss 0.111, train_loss 0.094; planted (labels shuffled) train_loss only 1.76 -> 1.56 over 12 epochs (ln5 = 1.61), val_loss 1.64, val_acc 0.175 (chance 0.20)
# control: --control
# native-log: stages.jsonl
# log-expect: non_convergence
# log-allow: overfitting, high_variance, high_bias
"""Pretrain a small MLP on digits 0-4, then fine-tune on digits 5-9 with a new head
(2 epochs head-only, then all layers). Planted bug: the fine-tune labels are shuffled
independently of the images (`y_ft = y_ft[rng.permutation(n)]` was meant to shuffle the
pair). --control keeps images and labels aligned."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
log = open(os.path.join(LOG_DIR, "stages.jsonl"), "w")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
XA, yA = torch.tensor(X[y < 5]), torch.tensor(y[y < 5])
XB, yB = X[y >= 5], y[y >= 5] - 5
Xtr, Xva, ytr, yva = train_test_split(XB, yB, test_size=0.3, random_state=0, stratify=yB)
rng = np.random.default_rng(0)
if not CONTROL:
    ytr = ytr[rng.permutation(len(ytr))]  # bug: shuffles the labels only
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

backbone = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
lossf = nn.CrossEntropyLoss()
def train_epoch(model, opt, Xs, ys):
    model.train(); perm = torch.randperm(len(Xs)); tot = 0.0
    for i in range(0, len(Xs), 32):
        idx = perm[i:i + 32]
        loss = lossf(model(Xs[idx]), ys[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    return tot / len(Xs)

pre = nn.Sequential(backbone, nn.Linear(32, 5))
opt = torch.optim.Adam(pre.parameters(), lr=2e-3)
for ep in range(3):
    tl = train_epoch(pre, opt, XA, yA)
    print(f"pretrain epoch {ep} train_loss {tl:.4f}")
    log.write(json.dumps({"stage": "pretrain", "epoch": ep, "train_loss": tl}) + "\n")

model = nn.Sequential(backbone, nn.Linear(32, 5))
for ep in range(12):
    if ep == 0:
        for p in backbone.parameters(): p.requires_grad = False
        opt = torch.optim.Adam(model[1].parameters(), lr=3e-3)
    if ep == 2:
        for p in backbone.parameters(): p.requires_grad = True
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    tl = train_epoch(model, opt, Xtr, ytr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"stage": "finetune", "epoch": ep, "train_loss": tl, "val_loss": vl, "val_acc": va}) + "\n")
    print(f"finetune epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
