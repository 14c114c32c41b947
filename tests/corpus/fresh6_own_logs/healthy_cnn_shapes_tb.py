# expect:
# allow:
# forbid: *
# evidence: 4-class synthetic 16x16 shape images (bar/ring/disk/cross at random places + noise); small CNN, SGD lr 0.02 momentum 0.9, 10 epochs: val_acc ~0.96 (chance 0.25), val_loss 0.85 -> 0.10
# native-log: tb
# log-expect:
# log-allow:
"""Small CNN on synthetic shape images, logging with torch.utils.tensorboard.SummaryWriter."""
import json, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

def make_shapes(n, g):
    S = 16
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    X = torch.zeros(n, 1, S, S)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        cy, cx = (torch.randint(4, 12, (2,), generator=g)).float()
        r = 2.0 + 2.0 * torch.rand(1, generator=g).item()
        d = ((yy - cy) ** 2 + (xx - cx) ** 2).sqrt()
        c = y[i].item()
        if c == 0:   # bar, random orientation
            img = ((yy - cy).abs() < 1) & ((xx - cx).abs() < r + 1) if torch.rand(1, generator=g) < 0.5 else ((xx - cx).abs() < 1) & ((yy - cy).abs() < r + 1)
        elif c == 1:  # ring
            img = (d < r + 0.8) & (d > r - 0.8)
        elif c == 2:  # disk
            img = d < r
        else:        # cross
            img = (((yy - cy).abs() < 0.8) & ((xx - cx).abs() < r)) | (((xx - cx).abs() < 0.8) & ((yy - cy).abs() < r))
        X[i, 0] = img.float()
    X = X + 0.3 * torch.randn(X.shape, generator=g)
    return X, y

g = torch.Generator().manual_seed(3)
xtr, ytr = make_shapes(2000, g)
xva, yva = make_shapes(500, g)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))

step = 0
for epoch in range(10):
    model.train()
    perm = torch.randperm(len(xtr))
    run, n = 0.0, 0
    for i in range(0, len(xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        run += loss.item() * len(idx); n += len(idx)
        if step % 10 == 0:
            writer.add_scalar("Loss/train", loss.item(), step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    writer.add_scalar("Loss/val", vl, step)
    writer.add_scalar("Accuracy/val", va, step)
    print(f"epoch {epoch} train {run / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(run / n, 4), "chance_acc": 0.25}))
