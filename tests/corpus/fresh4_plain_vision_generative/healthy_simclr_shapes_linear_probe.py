# expect:
# allow:
# forbid: *
# evidence: linear probe on frozen SimCLR features reaches val_acc 0.978, val_loss 0.087 (random-init encoder probe: 0.925, chance 0.20); NT-Xent 4.74 -> 3.42
"""SimCLR-style contrastive pretraining on unlabeled shape drawings, then a linear probe."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(42)

S = 16
CLASSES = ["disk", "square", "triangle", "cross", "ring"]
_yy, _xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")


def draw(kind, cx, cy, r):
    dx, dy = _xx - cx, _yy - cy
    if kind == "disk":
        m = dx ** 2 + dy ** 2 <= r ** 2
    elif kind == "ring":
        d = (dx ** 2 + dy ** 2).sqrt()
        m = (d <= r) & (d >= r * 0.55)
    elif kind == "square":
        m = (dx.abs() <= r * 0.85) & (dy.abs() <= r * 0.85)
    elif kind == "triangle":
        m = (dy <= r * 0.8) & (dy >= -r) & (dx.abs() <= (dy + r) * 0.6)
    else:  # cross
        m = ((dx.abs() <= r * 0.3) & (dy.abs() <= r)) | ((dy.abs() <= r * 0.3) & (dx.abs() <= r))
    return m.float()


def make_dataset(n, seed):
    g = torch.Generator().manual_seed(seed)
    ys = torch.randint(0, len(CLASSES), (n,), generator=g)
    xs = torch.empty(n, 1, S, S)
    for i in range(n):
        r = 3.0 + 2.5 * torch.rand(1, generator=g).item()
        cx = r + 1 + (S - 2 * r - 2) * torch.rand(1, generator=g).item()
        cy = r + 1 + (S - 2 * r - 2) * torch.rand(1, generator=g).item()
        xs[i, 0] = draw(CLASSES[ys[i]], cx, cy, r) * (0.6 + 0.4 * torch.rand(1, generator=g).item())
    return xs, ys


def augment(x):
    """random shift, flip, contrast jitter, cutout-ish noise"""
    n = x.shape[0]
    out = torch.empty_like(x)
    shifts = torch.randint(-2, 3, (n, 2))
    for i in range(n):
        out[i] = torch.roll(x[i], shifts=(int(shifts[i, 0]), int(shifts[i, 1])), dims=(1, 2))
    flip = torch.rand(n) < 0.5
    out[flip] = out[flip].flip(-1)
    out = out * (0.7 + 0.6 * torch.rand(n, 1, 1, 1)) + 0.15 * torch.randn_like(out)
    return out


class Encoder(nn.Module):
    def __init__(self, dim=64):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(64, dim, 3, padding=1), nn.BatchNorm2d(dim), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )

    def forward(self, x):
        return self.features(x)


def nt_xent(z1, z2, tau=0.2):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    n = z1.shape[0]
    sim.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def probe(encoder, xtr, ytr, xva, yva, epochs=150):
    encoder.eval()
    with torch.no_grad():
        ftr, fva = encoder(xtr), encoder(xva)
    mu, sd = ftr.mean(0), ftr.std(0) + 1e-6
    ftr, fva = (ftr - mu) / sd, (fva - mu) / sd
    clf = nn.Linear(ftr.shape[1], len(CLASSES))
    opt = torch.optim.Adam(clf.parameters(), lr=1e-2, weight_decay=1e-4)
    for _ in range(epochs):
        loss = F.cross_entropy(clf(ftr), ytr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        vl = F.cross_entropy(clf(fva), yva).item()
        acc = (clf(fva).argmax(1) == yva).float().mean().item()
    return loss.item(), vl, acc


unlabeled, _ = make_dataset(1024, seed=1)
x_train, y_train = make_dataset(300, seed=2)
x_val, y_val = make_dataset(400, seed=3)

encoder = Encoder()
_, _, rand_acc = probe(encoder, x_train, y_train, x_val, y_val)
print(f"probe on random-init encoder: val_acc {rand_acc:.3f}")

projector = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 32))
params = list(encoder.parameters()) + list(projector.parameters())
opt = torch.optim.AdamW(params, lr=3e-3, weight_decay=1e-4)
EPOCHS, BS = 6, 128
total = EPOCHS * (len(unlabeled) // BS)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total)
for epoch in range(EPOCHS):
    encoder.train()
    perm = torch.randperm(len(unlabeled))
    losses = []
    for b in range(len(unlabeled) // BS):
        x = unlabeled[perm[b * BS:(b + 1) * BS]]
        loss = nt_xent(projector(encoder(augment(x))), projector(encoder(augment(x))))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    print(f"pretrain epoch {epoch}: nt-xent {sum(losses) / len(losses):.4f} (log(2N-1) = {math.log(2 * BS - 1):.3f})")

tr_loss, val_loss, val_acc = probe(encoder, x_train, y_train, x_val, y_val)
print(f"linear probe: train_loss {tr_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({
    "pretrain_loss": round(sum(losses) / len(losses), 4), "train_loss": round(tr_loss, 4),
    "val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
    "random_encoder_val_acc": round(rand_acc, 4), "chance_acc": 1 / len(CLASSES),
}))
