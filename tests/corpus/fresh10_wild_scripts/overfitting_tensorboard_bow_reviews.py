# Bag-of-words review classifier (MLP on word counts), scalars to TensorBoard.
# A debugging leftover (DEBUG=True: 200 reviews, 60 epochs) trains the 1000-64-2 MLP to memorise a tiny subset;
# the intended run is 5000 reviews for 2 epochs.
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: DEBUG subset (200 docs, 60 epochs): train_loss 0.002 / train_acc 1.00 while val_loss rises from 0.457 (epoch 9) to 0.616, val_acc 0.797 (label noise 10%, so <=0.90 achievable); --control (5000 docs, 2 epochs) val_loss 0.365, val_acc 0.886, train_acc 0.898
# control: --control
# native-log: tb
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.tensorboard import SummaryWriter

DEBUG = "--control" not in sys.argv     # "overfit a small subset first" sanity check, left switched on
N_TRAIN, EPOCHS = (200, 60) if DEBUG else (5000, 2)
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0)
rng = np.random.default_rng(0)
V, DOC_LEN, TILT, NOISE = 1000, 40, 1.0, 0.1
sent = rng.normal(0, 1, V) * (rng.random(V) < 0.15)          # 15% of words carry sentiment
freq = 1.0 / rng.permutation(np.arange(1, V + 1)) ** 0.8; freq = freq / freq.sum()   # Zipf-like


def make_docs(n):
    y = rng.integers(0, 2, n)
    X = np.zeros((n, V), dtype=np.float32)
    for c in (0, 1):
        # class-dependent tilt of word frequencies towards matching sentiment
        p = freq * np.exp((2 * c - 1) * TILT * sent); p /= p.sum()
        idx = np.where(y == c)[0]
        w = rng.choice(V, (len(idx), DOC_LEN), p=p)
        np.add.at(X, (np.repeat(idx, DOC_LEN), w.ravel()), 1.0)
    flip = rng.random(n) < NOISE
    y = np.where(flip, 1 - y, y)
    return torch.tensor(np.log1p(X)), torch.tensor(y)


Xtr, ytr = make_docs(N_TRAIN)
Xva, yva = make_docs(1000)
writer = SummaryWriter(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb"))
model = nn.Sequential(nn.Linear(V, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
step = 0
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(perm), 32):
        b = perm[i:i + 32]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(b); step += 1
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        ot = model(Xtr); ta = (ot.argmax(1) == ytr).float().mean().item()
    writer.add_scalar("Loss/train", tot / len(Xtr), step); writer.add_scalar("Accuracy/train", ta, step)
    writer.add_scalar("Loss/val", vl, step); writer.add_scalar("Accuracy/val", va, step)
    print(f"epoch {epoch:2d} train_loss {tot/len(Xtr):.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.4f}")
writer.close()
with torch.no_grad():
    tl = crit(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.5, "label_noise": NOISE}))
