# expect:
# allow:
# forbid: *
# evidence: val_acc 0.977, val_loss 0.060 (chance 0.25); train_loss 0.037
# native-log: gratings/version_0/metrics.csv
# log-expect:
# log-allow:
"""Lightning Fabric loop (fabric.launch / setup / setup_dataloaders / fabric.backward) training a
small CNN to classify noisy 12x12 sinusoidal gratings into 4 classes (2 orientations x 2 spatial
frequencies, random phase and contrast). SGD+momentum under CosineAnnealingWarmRestarts stepped per
batch (T_0 = 1 epoch, T_mult = 2): the lr jumps back up at each restart and the loss shows small
bumps there, then keeps improving. Logged per step with lightning.fabric.loggers.CSVLogger.
"""
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

warnings.filterwarnings("ignore")
S = 12


def gratings(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    ang = torch.where(y % 2 == 0, torch.tensor(0.3), torch.tensor(1.6))
    ang = ang + 0.15 * torch.randn(n, generator=g)
    freq = torch.where(y // 2 == 0, torch.tensor(1.0), torch.tensor(2.2))
    ph = 2 * math.pi * torch.rand(n, generator=g)
    c = 0.4 + 0.6 * torch.rand(n, generator=g)
    ii, jj = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    u = ii[None] * torch.cos(ang)[:, None, None] + jj[None] * torch.sin(ang)[:, None, None]
    img = c[:, None, None] * torch.sin(2 * math.pi * freq[:, None, None] * u / S * 2 + ph[:, None, None])
    img = img + 0.8 * torch.randn(n, S, S, generator=g)
    return img[:, None], y


def main():
    torch.set_num_threads(1)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="grat_")
    logger = CSVLogger(log_dir, name="gratings", version=0)
    fabric = Fabric(accelerator="cpu", devices=1, loggers=logger)
    fabric.launch()
    fabric.seed_everything(31)
    g = torch.Generator().manual_seed(31)
    xtr, ytr = gratings(1500, g)
    xva, yva = gratings(600, g)
    model = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2),
                          nn.Flatten(), nn.Linear(96, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    model, opt = fabric.setup(model, opt)
    train_dl = fabric.setup_dataloaders(DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True))
    steps_per_epoch = len(train_dl)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=steps_per_epoch, T_mult=2)
    step = 0
    for epoch in range(7):
        model.train()
        for x, y in train_dl:
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
            sched.step()
            if step % 5 == 0:
                fabric.log_dict({"train_loss": loss.item(), "lr": opt.param_groups[0]["lr"],
                                 "epoch": epoch}, step=step)
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        fabric.log_dict({"val_loss": F.cross_entropy(lv, yva).item(),
                         "val_acc": (lv.argmax(1) == yva).float().mean().item()}, step=step)
    logger.finalize("success")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
