# expect:
# allow:
# forbid: *
# evidence: val_acc 0.996, val_loss 0.035 after 12 epochs (chance 0.25); val dips during the restart at epoch 4 are the warm restart, not instability
"""Small conv net with BatchNorm classifying rendered shapes (disc / square / triangle / cross)
on 20x20 grayscale canvases. Random-crop (pad+shift) and horizontal flip are done inside the
training loop. AdamW + CosineAnnealingWarmRestarts (T_0=4, T_mult=2), so the lr saw-tooths."""
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)

S = 20


def render(kind, rng):
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    cx, cy = rng.uniform(6, 14, size=2)
    r = rng.uniform(3.0, 5.5)
    if kind == 0:  # disc
        m = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
    elif kind == 1:  # square
        m = (np.abs(xx - cx) <= r * 0.85) & (np.abs(yy - cy) <= r * 0.85)
    elif kind == 2:  # triangle (apex up)
        m = (yy >= cy - r) & (yy <= cy + r) & (np.abs(xx - cx) <= (yy - (cy - r)) * 0.6)
    else:  # cross
        w = max(1.0, r * 0.3)
        m = ((np.abs(xx - cx) <= w) & (np.abs(yy - cy) <= r)) | ((np.abs(yy - cy) <= w) & (np.abs(xx - cx) <= r))
    img = m.astype(np.float32) * rng.uniform(0.6, 1.0)
    img += rng.normal(0, 0.15, size=img.shape).astype(np.float32)
    return img


def make_set(n, rng):
    ys = rng.integers(0, 4, size=n)
    xs = np.stack([render(k, rng) for k in ys])[:, None]
    return torch.from_numpy(xs), torch.from_numpy(ys).long()


Xtr, Ytr = make_set(1600, rng)
Xva, Yva = make_set(800, rng)
mean, std = Xtr.mean(), Xtr.std()
Xtr, Xva = (Xtr - mean) / std, (Xva - mean) / std


def augment(x):
    # random crop with 2px reflection padding + random horizontal flip
    n = x.shape[0]
    xp = F.pad(x, (2, 2, 2, 2), mode="reflect")
    dx, dy = torch.randint(0, 5, (2,)).tolist()
    x = xp[:, :, dy:dy + S, dx:dx + S]
    flip = torch.rand(n) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x)
    return x


class ShapeNet(nn.Module):
    def __init__(self, n_cls=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 48, 3, padding=1, bias=False), nn.BatchNorm2d(48), nn.ReLU(),
        )
        self.head = nn.Linear(48, n_cls)

    def forward(self, x):
        h = self.features(x)
        return self.head(h.mean(dim=(2, 3)))


def train_one_epoch(model, opt, sched, epoch, bs=64):
    model.train()
    perm = torch.randperm(Xtr.shape[0])
    n_batches = math.ceil(len(perm) / bs)
    tot_loss, correct = 0.0, 0
    for i in range(n_batches):
        idx = perm[i * bs:(i + 1) * bs]
        xb, yb = augment(Xtr[idx]), Ytr[idx]
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step(epoch + i / n_batches)
        tot_loss += loss.item() * len(idx)
        correct += (logits.argmax(1) == yb).sum().item()
    return {"loss": tot_loss / len(perm), "acc": correct / len(perm), "lr": opt.param_groups[0]["lr"]}


@torch.no_grad()
def evaluate(model):
    model.eval()
    logits = model(Xva)
    return {"loss": F.cross_entropy(logits, Yva).item(), "acc": (logits.argmax(1) == Yva).float().mean().item()}


model = ShapeNet()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2, eta_min=1e-5)

for epoch in range(12):
    tr = train_one_epoch(model, opt, sched, epoch)
    va = evaluate(model)
    print(f"epoch {epoch:2d} lr {tr['lr']:.5f} train_loss {tr['loss']:.4f} train_acc {tr['acc']:.3f} "
          f"val_loss {va['loss']:.4f} val_acc {va['acc']:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(va["loss"], 4), "val_acc": round(va["acc"], 4),
                                      "train_loss": round(tr["loss"], 4), "chance_acc": 0.25}))
