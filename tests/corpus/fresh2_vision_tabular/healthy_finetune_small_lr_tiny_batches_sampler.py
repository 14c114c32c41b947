# expect:
# allow:
# forbid: *
# evidence: after pretraining (4 epochs) and 12 fine-tune epochs at batch 8: balanced val_acc 0.915 (chance 0.333), worst-class recall 0.855, val_loss 0.272; epoch-to-epoch swings come from the 8-image batches drawn by the sampler
"""Two stages in one script. (1) 'Pretrain' a small BatchNorm CNN on plenty of filled shapes
(disc / square / triangle / cross). (2) Fine-tune it on a small, imbalanced, labelled set of
a new domain - outlined (hollow) shapes with heavier noise, only 3 classes, 150/50/25 images -
with a fresh head, AdamW at lr 1e-3 for the head and 3e-4 for the backbone, batch size 8 (noisy per-step loss), and a
WeightedRandomSampler so each class is drawn equally often. The BatchNorm layers are kept in
eval mode during fine-tuning (batch 8 is too small for batch statistics). Reported on a balanced
held-out set: accuracy and per-class recall."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

torch.set_num_threads(1)
torch.manual_seed(13)
rng = np.random.default_rng(13)
S = 20
yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)


def mask(kind, cx, cy, r):
    if kind == 0:
        return (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
    if kind == 1:
        return (np.abs(xx - cx) <= r * 0.85) & (np.abs(yy - cy) <= r * 0.85)
    if kind == 2:
        return (yy >= cy - r) & (yy <= cy + r) & (np.abs(xx - cx) <= (yy - (cy - r)) * 0.6)
    w = max(1.0, r * 0.3)
    return ((np.abs(xx - cx) <= w) & (np.abs(yy - cy) <= r)) | ((np.abs(yy - cy) <= w) & (np.abs(xx - cx) <= r))


def render(kinds, hollow, noise):
    out = []
    for k in kinds:
        cx, cy = rng.uniform(7, 13, 2)
        r = rng.uniform(4.0, 6.0)
        m = mask(k, cx, cy, r)
        if hollow:
            m = m & ~mask(k, cx, cy, r - 1.6)
        out.append(m * rng.uniform(0.7, 1.0) + rng.normal(0, noise, (S, S)))
    return torch.tensor(np.stack(out)[:, None], dtype=torch.float32)


def norm(x):
    return (x - 0.15) / 0.35


# ---- stage 1: pretraining on the source domain ----
ks = rng.integers(0, 4, 1200)
Xs, Ys = norm(render(ks, False, 0.15)), torch.from_numpy(ks).long()

backbone = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 48, 3, padding=1), nn.BatchNorm2d(48), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten())
model = nn.Sequential(backbone, nn.Linear(48, 4))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for ep in range(4):
    model.train()
    perm = torch.randperm(len(Ys))
    for i in range(0, len(perm), 64):
        b = perm[i:i + 64]
        loss = F.cross_entropy(model(Xs[b]), Ys[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"pretrain epoch {ep} last-batch loss {loss.item():.4f}")

# ---- stage 2: fine-tuning on the small, imbalanced target set ----
kt = np.repeat([0, 1, 2], [150, 50, 25])
Xt, Yt = norm(render(kt, True, 0.3)), torch.from_numpy(kt).long()
kv = np.repeat([0, 1, 2], 200)
Xv, Yv = norm(render(kv, True, 0.3)), torch.from_numpy(kv).long()

head = nn.Linear(48, 3)
ft = nn.Sequential(backbone, head)
opt = torch.optim.AdamW([{"params": backbone.parameters(), "lr": 3e-4},
                         {"params": head.parameters(), "lr": 1e-3}], weight_decay=1e-2)
w = (1.0 / torch.bincount(Yt).float())[Yt]
loader = DataLoader(TensorDataset(Xt, Yt), batch_size=8,
                    sampler=WeightedRandomSampler(w, num_samples=len(Yt), replacement=True))


def train_one_epoch():
    ft.train()
    for m in backbone.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
    tot, n, hit = 0.0, 0, 0
    for xb, yb in loader:
        out = ft(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(yb)
        n += len(yb)
        hit += (out.argmax(1) == yb).sum().item()
    return {"train_loss": tot / n, "train_acc": hit / n}


@torch.no_grad()
def evaluate():
    ft.eval()
    out = ft(Xv)
    pred = out.argmax(1)
    rec = [(pred[Yv == c] == c).float().mean().item() for c in range(3)]
    return {"val_loss": F.cross_entropy(out, Yv).item(), "val_acc": (pred == Yv).float().mean().item(),
            "min_recall": min(rec)}


for ep in range(12):
    m = train_one_epoch()
    m.update(evaluate())
    print(f"finetune epoch {ep:2d} " + " ".join(f"{k}={v:.4f}" for k, v in m.items()))

print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()} | {"chance_acc": round(1 / 3, 4)}))
