"""Small CNN that tells four drawn shapes apart (Lightning + CSVLogger).

Warm-up + cosine schedule stepped per optimizer step, label smoothing,
weight decay, early stopping on val_loss and a best-checkpoint callback.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.98 / val_loss 0.19 on 400 held-out noisy shape images (chance 0.25); train_loss 0.42 (label-smoothing floor ~0.35)
# native-log: metrics.csv
# log-expect:
# log-allow:
import json
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning.pytorch as pl
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
SIZE = 12


def draw(kind, rng):
    img = np.zeros((SIZE, SIZE), dtype=np.float32)
    r = rng.integers(2, 4)
    cy, cx = rng.integers(r, SIZE - r, size=2)
    yy, xx = np.mgrid[:SIZE, :SIZE]
    if kind == 0:      # filled square
        img[cy - r:cy + r, cx - r:cx + r] = 1
    elif kind == 1:    # plus sign
        img[cy - r:cy + r + 1, cx] = 1
        img[cy, cx - r:cx + r + 1] = 1
    elif kind == 2:    # ring
        d = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
        img[(d > r - 0.8) & (d < r + 0.6)] = 1
    else:              # diagonal stroke
        for k in range(-r, r + 1):
            img[cy + k, cx + k] = 1
    img += rng.normal(0, 0.45, img.shape).astype(np.float32)
    return img


class ShapesData(pl.LightningDataModule):
    def __init__(self, n_train=960, n_val=400, batch_size=32):
        super().__init__()
        self.n_train, self.n_val, self.batch_size = n_train, n_val, batch_size

    def setup(self, stage=None):
        rng = np.random.default_rng(0)
        n = self.n_train + self.n_val
        y = rng.integers(0, 4, n)
        x = np.stack([draw(k, rng) for k in y])[:, None]
        x = (x - x.mean()) / x.std()
        x, y = torch.tensor(x), torch.tensor(y)
        self.train_ds = TensorDataset(x[:self.n_train], y[:self.n_train])
        self.val_ds = TensorDataset(x[self.n_train:], y[self.n_train:])

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=200)


class ShapeNet(pl.LightningModule):
    def __init__(self, lr=3e-3, warmup=40, total_steps=500):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1),
            nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y, label_smoothing=0.1)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)
        w, t = self.hparams.warmup, self.hparams.total_steps

        def lam(step):
            if step < w:
                return (step + 1) / w
            return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - w) / max(1, t - w))))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def main():
    pl.seed_everything(7, workers=True)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    dm = ShapesData()
    epochs = 14
    model = ShapeNet(total_steps=epochs * 30)
    trainer = pl.Trainer(
        accelerator="cpu", devices=1, max_epochs=epochs,
        enable_progress_bar=False, enable_model_summary=False,
        logger=CSVLogger(log_dir, name="", version=""),
        default_root_dir=log_dir, log_every_n_steps=10,
        callbacks=[EarlyStopping("val_loss", patience=3), LearningRateMonitor("step"),
                   ModelCheckpoint(dirpath=os.path.join(log_dir, "ckpt"), monitor="val_acc", mode="max")],
    )
    trainer.fit(model, datamodule=dm)
    train_loss = float(trainer.callback_metrics["train_loss_epoch"])
    res = trainer.validate(model, datamodule=dm, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["val_loss"], 4), "val_acc": round(res["val_acc"], 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
