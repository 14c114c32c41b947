# expect:
# allow:
# forbid: *
# evidence: frozen-head phase plateaus at val_loss 0.81 / val_acc 0.75, after unfreezing val_loss drops in a step to 0.25 then 0.064, final val_acc 0.985 on digits 5-9 (chance 0.20), train_loss 0.027
# native-log: finetune_log.jsonl
# log-expect:
# log-allow:
"""Pretrain an MLP backbone on digits 0-4, swap the head, fine-tune on digits 5-9:
first 6 epochs with the backbone frozen (head only), then unfreeze everything with a new
Adam optimizer. The frozen phase plateaus (val_loss ~0.8, features were learned for other
digits); the curve then changes regime abruptly at unfreezing and converges."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
logf = open(os.path.join(LOG_DIR, "finetune_log.jsonl"), "w")

X, y = load_digits(return_X_y=True)
X = ((X / 16.0 - 0.3) / 0.4).astype(np.float32)
A, B = y < 5, y >= 5
XA, yA = torch.tensor(X[A]), torch.tensor(y[A])
XBtr, XBva, yBtr, yBva = train_test_split(X[B], y[B] - 5, test_size=0.3, random_state=0, stratify=y[B])
XBtr, XBva, yBtr, yBva = map(torch.tensor, (XBtr, XBva, yBtr, yBva))

backbone = nn.Sequential(nn.Linear(64, 96), nn.ReLU(), nn.Linear(96, 48), nn.ReLU())
lossf = nn.CrossEntropyLoss()


def epoch(model, opt, Xt, yt, bs=32):
    model.train(); perm = torch.randperm(len(Xt)); tot = 0.0
    for i in range(0, len(Xt), bs):
        idx = perm[i:i + bs]
        loss = lossf(model(Xt[idx]), yt[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    return tot / len(Xt)


def evaluate(model, Xv, yv):
    model.eval()
    with torch.no_grad():
        out = model(Xv)
        return lossf(out, yv).item(), (out.argmax(1) == yv).float().mean().item()


# stage 1: pretrain on task A (digits 0-4)
pre = nn.Sequential(backbone, nn.Linear(48, 5))
opt = torch.optim.Adam(pre.parameters(), lr=1e-3)
for ep in range(4):
    tl = epoch(pre, opt, XA, yA)
    print(f"pretrain epoch {ep} train_loss {tl:.4f}")
    logf.write(json.dumps({"stage": "pretrain", "epoch": ep, "train_loss": tl}) + "\n")

# stage 2: new head for task B, backbone frozen
model = nn.Sequential(backbone, nn.Linear(48, 5))
for p in backbone.parameters():
    p.requires_grad = False
opt = torch.optim.Adam(model[1].parameters(), lr=5e-3)
gep = 0
for ep in range(6):
    tl = epoch(model, opt, XBtr, yBtr); vl, va = evaluate(model, XBva, yBva)
    print(f"finetune[frozen] epoch {gep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    logf.write(json.dumps({"stage": "frozen", "epoch": gep, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": 5e-3}) + "\n")
    gep += 1

# stage 3: unfreeze everything
for p in backbone.parameters():
    p.requires_grad = True
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for ep in range(8):
    tl = epoch(model, opt, XBtr, yBtr); vl, va = evaluate(model, XBva, yBva)
    print(f"finetune[unfrozen] epoch {gep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    logf.write(json.dumps({"stage": "unfrozen", "epoch": gep, "train_loss": tl, "val_loss": vl, "val_acc": va, "lr": 3e-3}) + "\n")
    gep += 1
logf.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
