# expect:
# allow:
# forbid: *
# evidence: Conv1d on 5-class synthetic waveforms reaches val_acc 0.98, val_loss 0.06, train_loss 0.04 (chance 0.2) with 1-epoch warm-up + cosine decay
# native-log: tb
# log-expect:
# log-allow:
"""Healthy: Lightning with a TensorBoardLogger and custom tag names ("loss/train",
"loss/val", "metrics/val_acc") plus LearningRateMonitor; AdamW with a 1-epoch linear warm-up and
cosine decay stepped per batch. Task: classify noisy 1-D waveforms (sine / square / saw /
chirp / damped) of random frequency and phase. Nothing planted."""
import os, sys, json, math, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger
from lightning.pytorch.callbacks import LearningRateMonitor

torch.set_num_threads(1)
L.seed_everything(1, verbose=False)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(1)
T = 64
t = np.linspace(0, 1, T)
def wave(k, f, ph):
    a = 2 * np.pi * f * t + ph
    if k == 0: return np.sin(a)
    if k == 1: return np.sign(np.sin(a))
    if k == 2: return 2 * ((a / (2 * np.pi)) % 1.0) - 1
    if k == 3: return np.sin(2 * np.pi * (f * t + 3 * f * t ** 2) + ph)
    return np.exp(-4 * t) * np.sin(a)
def make(n):
    y = rng.integers(0, 5, n)
    x = np.stack([wave(k, rng.uniform(2, 6), rng.uniform(0, 2 * np.pi)) for k in y])
    x = x * rng.uniform(0.7, 1.3, (n, 1)) + rng.normal(0, 0.35, (n, T))
    return torch.tensor(x, dtype=torch.float32).unsqueeze(1), torch.tensor(y)
Xtr, ytr = make(2400); Xva, yva = make(600)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=300)
EPOCHS = 10
STEPS = EPOCHS * len(tr)

class WaveNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(8),
                               nn.Flatten(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 5))
    def forward(self, x): return self.f(x)
    def training_step(self, b, i):
        x, y = b
        loss = F.cross_entropy(self(x), y)
        self.log("loss/train", loss, on_step=True, on_epoch=False)
        return loss
    def validation_step(self, b, i):
        x, y = b
        o = self(x)
        self.log("loss/val", F.cross_entropy(o, y))
        self.log("metrics/val_acc", (o.argmax(1) == y).float().mean())
    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-2)
        warm = len(tr)
        fn = lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (STEPS - warm)))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": torch.optim.lr_scheduler.LambdaLR(opt, fn), "interval": "step"}}

m = WaveNet()
tr_ = L.Trainer(max_epochs=EPOCHS, logger=TensorBoardLogger(LOGDIR, name="tb", version=0, default_hp_metric=False),
                callbacks=[LearningRateMonitor("step")], log_every_n_steps=5, enable_progress_bar=False,
                enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1)
tr_.fit(m, tr, va)
m.eval()
with torch.no_grad():
    o = m(Xva); vl = F.cross_entropy(o, yva).item(); va_acc = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(m(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va_acc, 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
