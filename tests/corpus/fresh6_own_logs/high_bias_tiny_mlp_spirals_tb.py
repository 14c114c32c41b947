# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted 3 tanh hidden units: after 40 epochs train_acc 0.54 and val_acc 0.53 (train ~= val, train loss 0.84 still ~flat); control 2x64 units: train_acc 0.997, val_acc 0.995 (chance 0.33; the data are nearly separable)
# control: --control
# native-log: tb
# log-expect: high_bias
# log-allow: non_convergence
"""3-arm spirals (2-d, 3 classes). Planted: a far-too-small model, one hidden layer of 3 tanh units.
Train and val accuracy plateau together well below what the data allow. Control: 2 x 64 hidden units.
Log: SummaryWriter tags train/loss, train/acc, val/loss, val/acc."""
import json, math, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 64 if "--control" in sys.argv else 3

g = torch.Generator().manual_seed(41)
def spirals(n):
    y = torch.randint(0, 3, (n,), generator=g)
    r = torch.rand(n, generator=g)
    t = 2 * math.pi * y / 3 + 6.5 * r + 0.15 * torch.randn(n, generator=g)
    return torch.stack([r * torch.cos(t), r * torch.sin(t)], 1) * 2, y
xtr, ytr = spirals(3000)
xva, yva = spirals(1000)
if H == 3:
    model = nn.Sequential(nn.Linear(2, H), nn.Tanh(), nn.Linear(H, 3))
else:
    model = nn.Sequential(nn.Linear(2, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
for epoch in range(40):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 100):
        idx = perm[i:i + 100]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        o = model(xtr); tl = F.cross_entropy(o, ytr).item(); ta = (o.argmax(1) == ytr).float().mean().item()
        o = model(xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    for k, v in (("train/loss", tl), ("train/acc", ta), ("val/loss", vl), ("val/acc", va)):
        writer.add_scalar(k, v, epoch)
    if epoch % 5 == 4:
        print(f"epoch {epoch} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.3333, "hidden": H}))
