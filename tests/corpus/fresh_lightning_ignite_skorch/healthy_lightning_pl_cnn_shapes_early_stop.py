# expect:
# allow:
# forbid: *
# evidence: 5 shape classes (chance 0.20), 2000 train / 400 val; Adam 4e-3 + wd 1e-4, MultiStepLR(6, 9), 12 epochs (EarlyStopping armed, not triggered) -> best checkpoint val_acc 0.970, val_loss 0.081 (train_loss 0.039); val_loss falls to its minimum in the last epochs
# native-log: shapes_tb/version_0
# log-expect:
# log-allow:
"""Small CNN on synthetic 16x16 shape images (circle / square / triangle / cross / bar, random
size, position, intensity, background noise), written against the `pytorch_lightning` package.
Adam + weight decay, MultiStepLR, EarlyStopping on val_loss with patience 3, best checkpoint
reloaded for the final numbers, TensorBoardLogger."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint
from pytorch_lightning.loggers import TensorBoardLogger

torch.set_num_threads(1)
pl.seed_everything(17, verbose=False)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="shapes_")
S = 16


def draw_shapes(n, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:S, 0:S]
    imgs = np.zeros((n, S, S), np.float32)
    labels = rng.integers(0, 5, n)
    for i, k in enumerate(labels):
        r = rng.uniform(4, 6.5)
        cy, cx = rng.uniform(r, S - r, 2)
        dy, dx = yy - cy, xx - cx
        if k == 0:
            m = dy ** 2 + dx ** 2 <= r ** 2
        elif k == 1:
            m = (np.abs(dy) <= r * 0.8) & (np.abs(dx) <= r * 0.8)
        elif k == 2:
            m = (dy >= -r) & (dy <= r) & (np.abs(dx) <= (dy + r) / 2)
        elif k == 3:
            m = ((np.abs(dy) <= 1) & (np.abs(dx) <= r)) | ((np.abs(dx) <= 1) & (np.abs(dy) <= r))
        else:
            m = (np.abs(dy) <= 1) & (np.abs(dx) <= r) if rng.random() < 0.5 else (np.abs(dx) <= 1) & (np.abs(dy) <= r)
        imgs[i][m] = rng.uniform(0.6, 1.0)
    imgs += rng.normal(0, 0.2, imgs.shape).astype(np.float32)
    return torch.from_numpy((imgs - 0.15) / 0.4).unsqueeze(1), torch.from_numpy(labels).long()


class ShapesData(pl.LightningDataModule):
    def setup(self, stage=None):
        self.train_ds = TensorDataset(*draw_shapes(2000, seed=1))
        self.val_ds = TensorDataset(*draw_shapes(400, seed=2))

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=300)


class ShapeCNN(pl.LightningModule):
    def __init__(self, lr=4e-3, weight_decay=1e-4):
        super().__init__()
        self.save_hyperparameters()
        self.conv = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(16 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, x):
        return self.fc(self.conv(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True, prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True, prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[6, 9], gamma=0.3)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch", "name": "lr"}}


def main():
    dm = ShapesData()
    model = ShapeCNN()
    ckpt = ModelCheckpoint(dirpath=os.path.join(LOG_DIR, "shapes_ckpt"), monitor="val_loss", save_top_k=1)
    trainer = pl.Trainer(
        max_epochs=12,
        callbacks=[EarlyStopping(monitor="val_loss", patience=3, min_delta=1e-3), ckpt],
        logger=TensorBoardLogger(LOG_DIR, name="shapes_tb", version=0, default_hp_metric=False),
        log_every_n_steps=10,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    best = ShapeCNN.load_from_checkpoint(ckpt.best_model_path)
    best.eval()
    xv, yv = dm.val_ds.tensors
    xt, yt = dm.train_ds.tensors
    with torch.no_grad():
        lv, lt = best(xv), best(xt)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, yt).item(), 4),
        "train_acc": round((lt.argmax(1) == yt).float().mean().item(), 4),
        "chance_acc": 0.2,
        "epochs_run": trainer.current_epoch,
    }))


if __name__ == "__main__":
    main()
