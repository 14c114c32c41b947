"""Machine-state classification from 3-axis vibration windows.

Conv1d net, Lightning, TensorBoardLogger (event files under tb/), validation
every half epoch (val_check_interval=0.5), gradient clipping, gradient
accumulation of 2, OneCycle schedule stepped per optimizer step.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.99, val_loss 0.08 on 500 held-out windows (5 machine states, chance 0.20)
# native-log: tb
# log-expect:
# log-allow:
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import TensorBoardLogger
from lightning.pytorch.callbacks import LearningRateMonitor

torch.set_num_threads(1)

N_STATES, LEN = 5, 96


def vibration_windows(n, rng):
    t = np.arange(LEN) / 100.0
    freqs = [(5, 11), (7, 19), (9, 13), (12, 23), (15, 17)]
    y = rng.integers(0, N_STATES, n)
    X = np.empty((n, 3, LEN), np.float32)
    for i, s in enumerate(y):
        f1, f2 = freqs[s]
        ph = rng.uniform(0, 2 * np.pi, 3)
        amp = rng.uniform(0.6, 1.4)
        X[i, 0] = amp * np.sin(2 * np.pi * f1 * t + ph[0])
        X[i, 1] = 0.5 * amp * np.sin(2 * np.pi * f2 * t + ph[1])
        X[i, 2] = 0.3 * np.sign(np.sin(2 * np.pi * (f1 + f2) / 2 * t + ph[2]))
    X += rng.normal(0, 0.5, X.shape).astype(np.float32)
    return X, y


class VibrationDM(pl.LightningDataModule):
    def setup(self, stage=None):
        rng = np.random.default_rng(2024)
        X, y = vibration_windows(2000, rng)
        X = X / X[:1500].std(axis=(0, 2), keepdims=True)
        self.tr = TensorDataset(torch.tensor(X[:1500]), torch.tensor(y[:1500]))
        self.va = TensorDataset(torch.tensor(X[1500:]), torch.tensor(y[1500:]))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=16, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=250)


class VibNet(pl.LightningModule):
    def __init__(self, lr=4e-3, total_steps=300):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv1d(3, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(32, N_STATES))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("loss/train", loss)
        self.log("acc/train", (logits.argmax(1) == y).float().mean())
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("loss/val", F.cross_entropy(logits, y))
        self.log("acc/val", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=5e-4)
        sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr, total_steps=self.hparams.total_steps,
                                                  pct_start=0.15)
        return [opt], [{"scheduler": sch, "interval": "step"}]


if __name__ == "__main__":
    pl.seed_everything(99)
    root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    epochs, accum = 5, 2
    steps = epochs * (1500 // 16 + 1) // accum + 1
    model = VibNet(total_steps=steps)
    trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=epochs,
                         logger=TensorBoardLogger(root, name="tb", version=""),
                         enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                         val_check_interval=0.5, gradient_clip_val=1.0, accumulate_grad_batches=accum,
                         log_every_n_steps=10, callbacks=[LearningRateMonitor()])
    dm = VibrationDM()
    trainer.fit(model, dm)
    train_loss = float(trainer.callback_metrics["loss/train"])
    r = trainer.validate(model, dm, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(r["loss/val"], 4), "val_acc": round(r["acc/val"], 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.2}))
