# expect:
# allow:
# forbid: *
# evidence: Friedman #1 regression (10 inputs, 5 informative, noise sd 0.5 -> noise var 0.25, target var ~24); MLP 10-128-128-1, AdamW + OneCycleLR, 25 epochs: val_mse ~0.4 (R^2 ~0.98)
# native-log: tb
# log-expect:
# log-allow:
"""Regression with a one-cycle schedule; SummaryWriter tags mse/train, mse/val, lr (per step)."""
import json, math, os, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

g = torch.Generator().manual_seed(111)
def friedman1(n):
    x = torch.rand(n, 10, generator=g)
    y = 10 * torch.sin(math.pi * x[:, 0] * x[:, 1]) + 20 * (x[:, 2] - 0.5) ** 2 + 10 * x[:, 3] + 5 * x[:, 4]
    return (x - 0.5) / 0.29, (y + 0.5 * torch.randn(n, generator=g)).unsqueeze(1)
xtr, ytr = friedman1(4000)
xva, yva = friedman1(1000)
ym, ys = ytr.mean(), ytr.std()

model = nn.Sequential(nn.Linear(10, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
EPOCHS, BS = 25, 64
steps_per_epoch = math.ceil(len(xtr) / BS)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * steps_per_epoch)
writer = SummaryWriter(os.path.join(LOG_DIR, "tb"))
step = 0
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), BS):
        idx = perm[i:i + BS]
        pred = model(xtr[idx]) * ys + ym
        loss = F.mse_loss(pred, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        writer.add_scalar("lr", sched.get_last_lr()[0], step)
        sched.step()
        if step % 10 == 0:
            writer.add_scalar("mse/train", loss.item(), step)
        step += 1
    model.eval()
    with torch.no_grad():
        vm = F.mse_loss(model(xva) * ys + ym, yva).item()
        tm = F.mse_loss(model(xtr) * ys + ym, ytr).item()
    writer.add_scalar("mse/val", vm, step)
    if epoch % 5 == 4:
        print(f"epoch {epoch} train_mse {tm:.4f} val_mse {vm:.4f}")
writer.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4), "target_var": round(yva.var().item(), 3), "noise_var": 0.25}))
