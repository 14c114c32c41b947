# expect:
# allow:
# forbid: *
# evidence: early stop at epoch 12 (best val_loss 0.591 at epoch 9, restored); val_acc 0.933, separate test_acc 0.913 (chance 0.2); train_loss floors at ~0.46 because of label_smoothing=0.1
"""Texture classification on 16x16 patches: checkerboard / stripes / dots / smooth noise /
'bricks', each with random scale, phase, contrast and pixel noise. Depthwise-separable conv
blocks with BatchNorm, Adamax, cross-entropy with label_smoothing=0.1 (so the train loss
floors near 0.5, not 0), early stopping on val loss with patience 3 and the best weights
restored before the final evaluation."""
import copy
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(9)
rng = np.random.default_rng(9)
S, K = 16, 5
yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)


def texture(k):
    p = rng.uniform(2.5, 5.0)
    ox, oy = rng.uniform(0, 2 * p, 2)
    if k == 0:
        img = np.sign(np.sin(math.pi * (xx + ox) / p) * np.sin(math.pi * (yy + oy) / p))
    elif k == 1:
        th = rng.uniform(0, math.pi)
        img = np.sin(2 * math.pi * (np.cos(th) * xx + np.sin(th) * yy) / (1.5 * p) + ox)
    elif k == 2:
        img = -1 + 2 * ((((xx + ox) % p) - p / 2) ** 2 + (((yy + oy) % p) - p / 2) ** 2 < (p / 3.5) ** 2)
    elif k == 3:
        img = rng.normal(0, 1, (S // 4, S // 4)).repeat(4, 0).repeat(4, 1)
        img = (img + np.roll(img, 1, 0) + np.roll(img, 1, 1)) / 2
    else:
        row = ((yy + oy) // p).astype(int)
        img = -1 + 2 * ((((yy + oy) % p) > 1) & ((((xx + ox + (row % 2) * p) % (2 * p))) > 1))
    img = img * rng.uniform(0.5, 1.0) + rng.normal(0, 0.9, (S, S))
    return img.astype(np.float32)


def make(n):
    ys = rng.integers(0, K, n)
    return torch.from_numpy(np.stack([texture(k) for k in ys])[:, None]), torch.from_numpy(ys).long()


Xtr, Ytr = make(800)
Xva, Yva = make(400)
Xte, Yte = make(400)
mu, sd = Xtr.mean(), Xtr.std()
Xtr, Xva, Xte = [(x - mu) / sd for x in (Xtr, Xva, Xte)]


def dwsep(cin, cout, stride):
    return nn.Sequential(
        nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False), nn.BatchNorm2d(cin), nn.ReLU6(),
        nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU6())


model = nn.Sequential(
    nn.Conv2d(1, 24, 3, 1, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU6(),
    dwsep(24, 32, 1), dwsep(32, 48, 2), dwsep(48, 64, 2),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, K))
opt = torch.optim.Adamax(model.parameters(), lr=6e-3)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)


def train_one_epoch(bs=32):
    model.train()
    perm = torch.randperm(len(Ytr))
    tot, hit = 0.0, 0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        out = model(Xtr[b])
        loss = crit(out, Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        hit += (out.argmax(1) == Ytr[b]).sum().item()
    return {"train_loss": tot / len(perm), "train_acc": hit / len(perm)}


@torch.no_grad()
def evaluate(X, Y):
    model.eval()
    out = model(X)
    return {"loss": crit(out, Y).item(), "acc": (out.argmax(1) == Y).float().mean().item()}


best, best_state, bad, patience = float("inf"), None, 0, 3
for ep in range(25):
    m = train_one_epoch()
    v = evaluate(Xva, Yva)
    print(f"ep {ep:02d} train_loss {m['train_loss']:.4f} train_acc {m['train_acc']:.3f} val_loss {v['loss']:.4f} val_acc {v['acc']:.3f}")
    if v["loss"] < best - 1e-4:
        best, best_state, bad = v["loss"], copy.deepcopy(model.state_dict()), 0
    else:
        bad += 1
        if bad >= patience:
            print(f"early stopping at epoch {ep}, restoring best (val_loss {best:.4f})")
            break

model.load_state_dict(best_state)
te = evaluate(Xte, Yte)
va = evaluate(Xva, Yva)
print(f"held-out test: loss {te['loss']:.4f} acc {te['acc']:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(va["loss"], 4), "val_acc": round(va["acc"], 4),
                                      "test_loss": round(te["loss"], 4), "test_acc": round(te["acc"], 4),
                                      "train_loss": round(m["train_loss"], 4), "chance_acc": 0.2}))
