# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: planted (random hflip p=0.5 on a left-vs-right task) train_loss 0.694 -> 0.657, val_loss 0.701, val_acc 0.505 (majority 0.505); control (no flip) train_loss 0.009, val_loss 0.015, val_acc 0.993
# control: --control
# "Always use flip augmentation": RandomHorizontalFlip(p=0.5) applied to a task whose label
# IS the horizontal direction (wedge pointing left vs right). A flipped left-wedge is a
# right-wedge but keeps the label "left": after augmentation the label is independent of the
# image, and the model cannot learn anything.
import argparse
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="no horizontal flip")
opts = parser.parse_args()
torch.manual_seed(0)
torch.set_num_threads(1)

S = 16
CLASSES = ["left", "right"]


def wedge(direction, g):
    """a filled triangle pointing in `direction`, random position/size, noisy background"""
    r = torch.arange(S).float()
    yy, xx = torch.meshgrid(r, r, indexing="ij")
    cx, cy = 5 + 6 * torch.rand(2, generator=g)
    size = 3 + 2 * torch.rand(1, generator=g)
    dx, dy = xx - cx, yy - cy
    if direction == 0:   u, v = dx, dy      # tip on the left
    elif direction == 1: u, v = -dx, dy     # tip on the right
    elif direction == 2: u, v = dy, dx      # tip on top
    else:                u, v = -dy, dx     # tip at the bottom
    inside = (u > -size) & (u < size) & (v.abs() < (u + size) / 2)
    return inside.float() + 0.35 * torch.randn(S, S, generator=g)


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.stack([wedge(int(c), g) for c in y]).unsqueeze(1)
    return x, y


def random_hflip(x):
    mask = torch.rand(x.shape[0]) < 0.5
    x = x.clone()
    x[mask] = x[mask].flip(-1)
    return x


xtr, ytr = make(2000, 1)
xva, yva = make(600, 2)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]
        xb = xtr[b] if opts.control else random_hflip(xtr[b])
        loss = F.cross_entropy(model(xb), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item(); nb += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item(); pred = out.argmax(1)
        va = (pred == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {tot/nb:.4f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tot / nb, "chance_acc": max(yva.float().mean().item(), 1 - yva.float().mean().item())}))
