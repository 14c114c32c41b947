"""Healthy: Lightning Fabric, 1-D CNN classifying synthetic waveforms, linear warm-up + cosine.

Five waveform families (sine, square, sawtooth, triangle, damped sine) with random frequency,
phase, amplitude and additive noise. A small Conv1d network is trained with AdamW; the lr is
warmed up linearly for 60 steps and then cosine-decayed per step. Fabric logs step and epoch
metrics with its CSVLogger (metrics.csv).
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.935 (chance 0.20), val_loss 0.18 ~ train_loss 0.18; lr warm-up then cosine to ~0 is the schedule, not instability
# native-log: fabric_csv/metrics.csv
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
torch.set_num_threads(1)
random.seed(2); np.random.seed(2); torch.manual_seed(2)

from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_wave_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(2)
T = 128


def make(n):
    t = np.linspace(0, 1, T)
    y = rng.integers(0, 5, n)
    f = rng.uniform(2, 8, n)[:, None]; ph = rng.uniform(0, 2 * np.pi, n)[:, None]; a = rng.uniform(0.5, 2, n)[:, None]
    arg = 2 * np.pi * f * t[None] + ph
    waves = np.stack([np.sin(arg), np.sign(np.sin(arg)), 2 * ((arg / (2 * np.pi)) % 1) - 1,
                      2 * np.abs(2 * ((arg / (2 * np.pi)) % 1) - 1) - 1, np.sin(arg) * np.exp(-4 * t[None])], 0)
    x = a * waves[y, np.arange(n)] + 0.25 * rng.normal(size=(n, T))
    return torch.tensor(x[:, None, :], dtype=torch.float32), torch.tensor(y)


Xtr, ytr = make(2000)
Xva, yva = make(600)

fabric = Fabric(accelerator="cpu", devices=1, loggers=CSVLogger(root_dir=LOG_DIR, name="fabric_csv", version=""))
model = nn.Sequential(
    nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
EPOCHS, BS = 12, 64
steps_per_epoch = math.ceil(len(Xtr) / BS)
total, warm = EPOCHS * steps_per_epoch, 60
sched = torch.optim.lr_scheduler.LambdaLR(
    opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
model, opt = fabric.setup(model, opt)
train_dl = fabric.setup_dataloaders(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=BS, shuffle=True))

step = 0
for epoch in range(EPOCHS):
    model.train(); tot = n = 0
    for xb, yb in train_dl:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); fabric.backward(loss); opt.step(); sched.step()
        tot += loss.item() * len(yb); n += len(yb)
        if step % 10 == 0:
            fabric.log_dict({"train_loss": loss.item(), "lr": opt.param_groups[0]["lr"]}, step=step)
        step += 1
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    fabric.log_dict({"epoch": epoch, "train_loss_epoch": tot / n, "val_loss": vl, "val_acc": va}, step=step)
    print(f"epoch {epoch} train {tot/n:.4f} val {vl:.4f} acc {va:.3f}")
fabric.loggers[0].finalize("success")

with torch.no_grad():
    tr_loss = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr_loss, 4), "chance_acc": 0.2}))
