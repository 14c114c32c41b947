# expect:
# allow:
# forbid: *
# evidence: 4 waveform shapes (sine/square/saw/triangle, random freq+phase, noise sd 0.45); Conv1d, manual optimisation (micro-batch 8 accumulated x2, manual norm clip 2.0), label smoothing 0.1, StepLR(3, 0.3) stepped by hand, 6 epochs -> held-out val_acc 0.90, val_loss 0.375 (chance 0.25), val_loss falls every epoch; logged train_loss (smoothed CE) stays ~0.6 only because of label smoothing
# native-log: tb/version_0
# log-expect:
# log-allow:
"""Waveform-shape classifier with manual optimisation (automatic_optimization=False) and a
TensorBoardLogger. Micro-batches of 8 are accumulated in pairs, gradients clipped by hand."""
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger

torch.set_num_threads(1)
L.seed_everything(11, verbose=False)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="wave_")
LENGTH = 64


def waveforms(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    freq = 1.5 + 4.0 * torch.rand(n, 1, generator=g)
    phase = torch.rand(n, 1, generator=g)
    t = torch.linspace(0, 1, LENGTH).unsqueeze(0)
    cyc = (freq * t + phase) % 1.0                      # position inside the period, 0..1
    sine = torch.sin(2 * math.pi * cyc)
    square = torch.where(cyc < 0.5, 1.0, -1.0)
    saw = 2 * cyc - 1
    tri = 1 - 4 * (cyc - 0.5).abs()
    x = torch.stack([sine, square, saw, tri], 1)[torch.arange(n), y]
    x = x + 0.45 * torch.randn(n, LENGTH, generator=g)
    return x.unsqueeze(1), y


class WaveData(L.LightningDataModule):
    def __init__(self, micro_batch=8):
        super().__init__()
        self.micro_batch = micro_batch

    def setup(self, stage=None):
        self.train_ds = TensorDataset(*waveforms(1200, seed=1))
        self.val_ds = TensorDataset(*waveforms(600, seed=2))

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.micro_batch, shuffle=True, drop_last=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=300)


class WaveNet(L.LightningModule):
    def __init__(self, lr=5e-3, accumulate=2, clip=2.0, smoothing=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.automatic_optimization = False
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(4),
        )
        self.head = nn.Linear(32 * 4, 4)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, batch_idx):
        opt = self.optimizers()
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y, label_smoothing=self.hparams.smoothing)
        self.manual_backward(loss / self.hparams.accumulate)
        if (batch_idx + 1) % self.hparams.accumulate == 0:
            self.clip_gradients(opt, gradient_clip_val=self.hparams.clip, gradient_clip_algorithm="norm")
            opt.step()
            opt.zero_grad()
        self.log("train_loss", loss, on_step=True, on_epoch=True, prog_bar=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)

    def on_train_epoch_end(self):
        sched = self.lr_schedulers()
        sched.step()
        self.log("lr", sched.get_last_lr()[0], on_epoch=True)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True, prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True, prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def main():
    dm = WaveData()
    model = WaveNet()
    trainer = L.Trainer(
        max_epochs=6,
        logger=TensorBoardLogger(LOG_DIR, name="tb", version=0, default_hp_metric=False),
        log_every_n_steps=10,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    model.eval()
    xv, yv = dm.val_ds.tensors
    xt, yt = dm.train_ds.tensors
    with torch.no_grad():
        lv, lt = model(xv), model(xt)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, yt).item(), 4),
        "train_acc": round((lt.argmax(1) == yt).float().mean().item(), 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
