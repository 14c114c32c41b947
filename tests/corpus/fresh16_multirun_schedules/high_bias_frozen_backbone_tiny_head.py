# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (unfreeze at epoch 3, Linear(32,5) head) train_acc 0.981, val_acc 0.978, train_loss 0.073; planted (frozen forever, 2-unit bottleneck head) train_acc 0.566, train_loss 0.955 after 14 epochs, val_acc 0.584 (chance 0.20; digits are ~98% learnable)
# control: --control
"""Transfer in one script: pretrain an MLP on digits 0-4, swap the head, fine-tune on
digits 5-9. Planted cause: the backbone is frozen and never unfrozen (the unfreeze epoch
is set past the end of training) and the new head squeezes the 32 features through a
2-unit bottleneck. The model cannot even fit its training set. --control unfreezes the
backbone at epoch 3 and uses a plain Linear(32, 5) head."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
EPOCHS = 14
UNFREEZE_AT = 3 if CONTROL else 10 ** 6

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
XA, yA = torch.tensor(X[y < 5]), torch.tensor(y[y < 5])
Xtr, Xva, ytr, yva = train_test_split(X[y >= 5], y[y >= 5] - 5, test_size=0.3, random_state=1, stratify=y[y >= 5])
Xtr, Xva, ytr, yva = map(torch.tensor, (Xtr, Xva, ytr, yva))

backbone = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
lossf = nn.CrossEntropyLoss()
def train_epoch(model, opt, Xs, ys):
    model.train(); perm = torch.randperm(len(Xs)); tot = 0.0
    for i in range(0, len(Xs), 32):
        idx = perm[i:i + 32]
        loss = lossf(model(Xs[idx]), ys[idx]); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    return tot / len(Xs)
def evaluate(model, Xs, ys):
    model.eval()
    with torch.no_grad():
        out = model(Xs); return lossf(out, ys).item(), (out.argmax(1) == ys).float().mean().item()

pre = nn.Sequential(backbone, nn.Linear(32, 5))
opt = torch.optim.Adam(pre.parameters(), lr=2e-3)
for ep in range(4):
    print(f"pretrain epoch {ep} train_loss {train_epoch(pre, opt, XA, yA):.4f}")

head = nn.Linear(32, 5) if CONTROL else nn.Sequential(nn.Linear(32, 2), nn.Linear(2, 5))
model = nn.Sequential(backbone, head)
for p in backbone.parameters(): p.requires_grad = False
opt = torch.optim.Adam(head.parameters(), lr=3e-3)
for ep in range(EPOCHS):
    if ep == UNFREEZE_AT:
        for p in backbone.parameters(): p.requires_grad = True
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        print("unfreezing backbone")
    train_epoch(model, opt, Xtr, ytr)
    tl, ta = evaluate(model, Xtr, ytr); vl, va = evaluate(model, Xva, yva)
    print(f"finetune epoch {ep} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.2}))
