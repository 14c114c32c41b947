# expect:
# allow:
# forbid: *
# evidence: val/acc 0.26 -> 0.965 over 14 epochs (chance 0.25), val/loss 1.38 -> 0.12 with a bumpy middle (0.63 -> 0.64, 0.34 -> 0.35), train_loss 0.10 = no gap
# native-log: gru_csv/version_0/metrics.csv
# log-expect:
# log-allow:
"""Healthy: Lightning + CSVLogger with slash-style metric names ("train/loss" on_step and
on_epoch -> train/loss_step, train/loss_epoch; "val/loss", "val/acc" per epoch) and a
LearningRateMonitor column. A 1-layer GRU classifies synthetic machine-vibration sequences
(normal / bearing fault / imbalance / looseness: different spectral signatures, random phase,
noise) of length 40. Batches of 32, Adam lr 5e-3, gradient clipping 1.0,
ReduceLROnPlateau on val/loss. Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor
torch.set_num_threads(1)
L.seed_everything(25, verbose=False)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(25)
T = 40; t = np.arange(T)
def seq(c):
    ph = rng.uniform(0, 2 * np.pi); f0 = rng.uniform(0.09, 0.11)
    s = np.sin(2 * np.pi * f0 * t + ph)
    if c == 1: s += 0.6 * (rng.random(T) < 0.08) * rng.choice([-3, 3], T)  # impulsive bearing hits
    if c == 2: s *= 1.8                                                   # imbalance: amplitude up
    if c == 3: s += 0.7 * np.sin(2 * np.pi * 2 * f0 * t + ph) + 0.4 * np.sin(2 * np.pi * 3 * f0 * t)  # harmonics
    return s + rng.normal(0, 0.3, T)
def make(n):
    y = rng.integers(0, 4, n); x = np.stack([seq(c) for c in y])
    return torch.tensor(x, dtype=torch.float32).unsqueeze(-1), torch.tensor(y)
Xtr, ytr = make(1200); Xva, yva = make(400)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=200)

class GRUClf(L.LightningModule):
    def __init__(self):
        super().__init__(); self.gru = nn.GRU(1, 32, batch_first=True); self.head = nn.Linear(32, 4)
    def forward(self, x): return self.head(self.gru(x)[0][:, -1])
    def training_step(self, b, i):
        x, y = b; loss = F.cross_entropy(self(x), y)
        self.log("train/loss", loss, on_step=True, on_epoch=True); return loss
    def validation_step(self, b, i):
        x, y = b; o = self(x)
        self.log("val/loss", F.cross_entropy(o, y)); self.log("val/acc", (o.argmax(1) == y).float().mean())
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=5e-3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5), "monitor": "val/loss"}}
m = GRUClf()
trn = L.Trainer(max_epochs=14, logger=CSVLogger(LOGDIR, name="gru_csv", version=0), callbacks=[LearningRateMonitor("epoch")], gradient_clip_val=1.0,
                log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1)
trn.fit(m, tr, va)
m.eval()
with torch.no_grad():
    o = m(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item(); tl = F.cross_entropy(m(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
