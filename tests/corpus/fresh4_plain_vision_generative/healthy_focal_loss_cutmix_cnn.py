# expect:
# allow:
# forbid: *
# evidence: focal loss (gamma 2) + CutMix CNN on 5 "scene layout" classes: val_acc 1.000, val_loss (CE) 0.257 (soft predictions from focal+CutMix; chance 0.20)
"""What is in the picture and where?  classes: single object left / right / top / bottom /
two objects diagonal.  Trained with a hand-written focal loss and CutMix."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(2)
np.random.seed(2)
N_CLASSES, SIDE = 5, 16


def scene(c, rs):
    img = rs.normal(0, 0.2, (SIDE, SIDE)).astype(np.float32)
    def put(y0, y1, x0, x1):
        cy, cx = rs.randint(y0, y1), rs.randint(x0, x1)
        r = rs.randint(2, 4)
        yy, xx = np.ogrid[:SIDE, :SIDE]
        if rs.rand() < 0.5:
            img[(yy - cy) ** 2 + (xx - cx) ** 2 <= r * r] += 1.0
        else:
            img[max(cy - r, 0):cy + r, max(cx - r, 0):cx + r] += 1.0
    if c == 0:
        put(6, 11, 2, 5)
    elif c == 1:
        put(6, 11, 11, 14)
    elif c == 2:
        put(2, 5, 6, 11)
    elif c == 3:
        put(11, 14, 6, 11)
    else:
        put(2, 6, 2, 6)
        put(10, 14, 10, 14)
    return img


def make(n, seed):
    rs = np.random.RandomState(seed)
    y = rs.randint(0, N_CLASSES, n)
    return torch.tensor(np.stack([scene(c, rs) for c in y]))[:, None], torch.tensor(y)


def focal_loss(logits, target_probs, gamma=2.0):
    """focal loss for soft targets (needed for CutMix): -(1-p)^gamma * q * log p"""
    logp = F.log_softmax(logits, 1)
    p = logp.exp()
    return -(target_probs * (1 - p) ** gamma * logp).sum(1).mean()


def cutmix(x, y, alpha=1.0):
    lam = np.random.beta(alpha, alpha)
    j = torch.randperm(len(x))
    h = int(SIDE * np.sqrt(1 - lam))
    cy, cx = np.random.randint(SIDE), np.random.randint(SIDE)
    y0, y1 = max(cy - h // 2, 0), min(cy + h // 2, SIDE)
    x0, x1 = max(cx - h // 2, 0), min(cx + h // 2, SIDE)
    x = x.clone()
    x[:, :, y0:y1, x0:x1] = x[j, :, y0:y1, x0:x1]
    lam = 1 - (y1 - y0) * (x1 - x0) / SIDE ** 2
    oh = F.one_hot(y, N_CLASSES).float()
    return x, lam * oh + (1 - lam) * oh[j]


net = nn.Sequential(
    nn.Conv2d(1, 24, 3, padding=1), nn.BatchNorm2d(24), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(24, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(48 * 16, 64), nn.ReLU(), nn.Linear(64, N_CLASSES))
xtr, ytr = make(1200, 1)
xva, yva = make(500, 2)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=True)
EPOCHS = 10
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)

for ep in range(EPOCHS):
    net.train()
    perm = torch.randperm(len(xtr))
    acc_loss = []
    for i in range(0, len(xtr), 32):
        xb, yb = xtr[perm[i:i + 32]], ytr[perm[i:i + 32]]
        if np.random.rand() < 0.5:
            xb, q = cutmix(xb, yb)
        else:
            q = F.one_hot(yb, N_CLASSES).float()
        loss = focal_loss(net(xb), q)
        opt.zero_grad()
        loss.backward()
        opt.step()
        acc_loss.append(loss.item())
    sched.step()
    net.eval()
    with torch.no_grad():
        out = net(xva)
        vce = F.cross_entropy(out, yva).item()
        vacc = (out.argmax(1) == yva).float().mean().item()
        tr_out = net(xtr)
        tce = F.cross_entropy(tr_out, ytr).item()
    print(f"epoch {ep:2d}: focal {np.mean(acc_loss):.4f} train_ce {tce:.4f} val_ce {vce:.4f} val_acc {vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tce, 4), "val_loss": round(vce, 4), "val_acc": round(vacc, 4),
                                     "chance_acc": 1 / N_CLASSES}))
