# expect:
# allow:
# forbid: *
# evidence: EMA weights reach val_acc 0.978, val_loss 0.19 on 4 coloured-shape classes with clutter (chance 0.25); raw weights val_acc 0.985, train_acc 0.995
"""Small ResNet (BatchNorm) on coloured shapes with background clutter.
SGD+nesterov, cosine schedule, mixup(alpha=0.2), and an exponential moving average of the
weights that we evaluate at the end (torch.optim.swa_utils.AveragedModel)."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

torch.set_num_threads(1)
torch.manual_seed(5)
rng = np.random.default_rng(5)

H = 16
yy, xx = np.mgrid[0:H, 0:H]


def shape_mask(k, cx, cy, r):
    if k == 0:   # disk
        return (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
    if k == 1:   # square
        return (abs(xx - cx) <= r * 0.8) & (abs(yy - cy) <= r * 0.8)
    if k == 2:   # diamond
        return abs(xx - cx) + abs(yy - cy) <= r
    return ((abs(xx - cx) <= r) & (abs(yy - cy) <= r * 0.35)) | ((abs(yy - cy) <= r) & (abs(xx - cx) <= r * 0.35))


def make(n):
    X = np.empty((n, 3, H, H), np.float32)
    Y = rng.integers(0, 4, n)
    for i in range(n):
        img = rng.uniform(0, 0.3, (3, 1, 1)) + 0.15 * rng.standard_normal((3, H, H))
        for _ in range(rng.integers(0, 3)):                    # clutter: small random rectangles
            x0, y0 = rng.integers(0, H - 3, 2)
            img[:, y0:y0 + 2, x0:x0 + 3] += rng.uniform(0, 0.6, (3, 1, 1))
        r = rng.uniform(3, 5.5)
        cx, cy = rng.uniform(r, H - 1 - r, 2)
        m = shape_mask(Y[i], cx, cy, r)
        color = rng.uniform(0.3, 1.0, 3)
        img[:, m] = color[:, None] + 0.05 * rng.standard_normal((3, m.sum()))
        X[i] = img
    X = (X - 0.35) / 0.3
    return torch.from_numpy(X), torch.from_numpy(Y)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.short = nn.Sequential()
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.b1(self.c1(x)))
        return F.relu(self.b2(self.c2(out)) + self.short(x))


class ResNetTiny(nn.Module):
    def __init__(self, n_cls=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16, 1)
        self.layer2 = BasicBlock(16, 32, 2)
        self.fc = nn.Linear(32, n_cls)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def evaluate(m, X, Y):
    m.eval()
    with torch.no_grad():
        out = m(X)
    return F.cross_entropy(out, Y).item(), (out.argmax(1) == Y).float().mean().item()


Xtr, Ytr = make(1024)
Xva, Yva = make(400)
net = ResNetTiny()
ema = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(0.98), use_buffers=True)
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
EPOCHS, BS, ALPHA = 8, 32, 0.2
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=EPOCHS, steps_per_epoch=len(Xtr) // BS)

for epoch in range(EPOCHS):
    net.train()
    perm = torch.randperm(len(Xtr))
    seen, total = 0, 0.0
    for b in range(len(Xtr) // BS):
        idx = perm[b * BS:(b + 1) * BS]
        x, y = Xtr[idx], Ytr[idx]
        lam = float(np.random.default_rng(epoch * 1000 + b).beta(ALPHA, ALPHA))
        j = torch.randperm(len(x))
        out = net(lam * x + (1 - lam) * x[j])
        loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        ema.update_parameters(net)
        total += loss.item() * len(idx)
        seen += len(idx)
    tr_loss, tr_acc = evaluate(net, Xtr, Ytr)
    vl, va = evaluate(net, Xva, Yva)
    evl, eva = evaluate(ema, Xva, Yva)
    print(f"epoch {epoch}: mixup_loss {total / seen:.4f} train_loss {tr_loss:.4f} val_loss {vl:.4f} "
          f"val_acc {va:.3f} | ema val_loss {evl:.4f} val_acc {eva:.3f}")

print("CORPUS_METRIC " + json.dumps({"train_loss": round(tr_loss, 4), "train_acc": round(tr_acc, 4),
                                     "val_loss": round(evl, 4), "val_acc": round(eva, 4),
                                     "raw_val_acc": round(va, 4), "chance_acc": 0.25}))
