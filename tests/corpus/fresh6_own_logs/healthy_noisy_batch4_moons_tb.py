# expect:
# allow:
# forbid: *
# evidence: two-moons (2-d, noise 0.15, Bayes acc ~0.99); MLP 2-64-64-2, plain SGD lr 0.03, batch size 4 (very noisy per-step loss), 12 epochs: val_acc ~0.99 (chance 0.5)
# native-log: runs
# log-expect:
# log-allow:
"""Noisy small-batch SGD; SummaryWriter tags train/loss (every step), val/loss + val/acc (every epoch), lr."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(4)
def moons(n):
    y = torch.randint(0, 2, (n,), generator=g)
    t = math.pi * torch.rand(n, generator=g)
    x = torch.stack([torch.cos(t), torch.sin(t)], 1)
    x[y == 1] = torch.stack([1 - torch.cos(t[y == 1]), 0.5 - torch.sin(t[y == 1])], 1)
    x = x + 0.15 * torch.randn(n, 2, generator=g)
    return (x - torch.tensor([0.5, 0.25])) / 0.8, y
xtr, ytr = moons(800)
xva, yva = moons(1000)

model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.03)
writer = SummaryWriter(os.path.join(LOG_DIR, "runs", "moons_bs4"))
step = 0
for epoch in range(12):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 4):
        idx = perm[i:i + 4]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        writer.add_scalar("train/loss", loss.item(), step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
        tl = F.cross_entropy(model(xtr), ytr).item()
    writer.add_scalar("val/loss", vl, step)
    writer.add_scalar("val/acc", va, step)
    writer.add_scalar("lr", opt.param_groups[0]["lr"], step)
    print(f"epoch {epoch} last-batch {loss.item():.4f} full-train {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
