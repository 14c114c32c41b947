# expect:
# allow:
# forbid: *
# evidence: 5-class blobs, AdamW+cosine, EarlyStopping/ModelCheckpoint/LRMonitor: val_acc 0.953 (chance 0.20), val_loss 0.130 vs train_loss 0.096; val_loss flat at the end (0.129-0.130)
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
"""Lightning: LightningDataModule, EarlyStopping / ModelCheckpoint / LearningRateMonitor,
self.log on_step+on_epoch, CSVLogger."""
import os
import sys
import json
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
pl.seed_everything(0, verbose=False)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="blobs_")


class BlobsDM(pl.LightningDataModule):
    def __init__(self, n_train=4000, n_val=600, dim=12, classes=5, batch_size=64):
        super().__init__()
        self.save_hyperparameters()

    def setup(self, stage=None):
        g = torch.Generator().manual_seed(1)
        h = self.hparams
        centers = torch.randn(h.classes, h.dim, generator=g) * 1.1

        def make(n):
            y = torch.randint(0, h.classes, (n,), generator=g)
            x = centers[y] + torch.randn(n, h.dim, generator=g)
            return TensorDataset(x, y)

        self.train_ds = make(h.n_train)
        self.val_ds = make(h.n_val)

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.hparams.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=256)


class BlobNet(pl.LightningModule):
    def __init__(self, dim=12, classes=5, hidden=32, lr=2e-3, epochs=12):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Linear(dim, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", acc, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.hparams.epochs)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def main():
    epochs = 8
    dm = BlobsDM()
    model = BlobNet(epochs=epochs)
    ckpt_dir = tempfile.mkdtemp(prefix="ckpt_")
    trainer = pl.Trainer(
        max_epochs=epochs,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(LOG_DIR, name="csv", version=0),
        callbacks=[
            EarlyStopping(monitor="val_loss", patience=4, mode="min"),
            ModelCheckpoint(dirpath=ckpt_dir, monitor="val_loss", save_top_k=1),
            LearningRateMonitor(logging_interval="epoch"),
        ],
        log_every_n_steps=10,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(model, datamodule=dm)

    model.eval()
    dm.setup()
    with torch.no_grad():
        xs = torch.stack([dm.val_ds[i][0] for i in range(len(dm.val_ds))])
        ys = torch.stack([dm.val_ds[i][1] for i in range(len(dm.val_ds))])
        logits = model(xs)
        val_loss = F.cross_entropy(logits, ys).item()
        val_acc = (logits.argmax(1) == ys).float().mean().item()
        xt, yt = dm.train_ds.tensors
        lt = model(xt)
        train_loss = F.cross_entropy(lt, yt).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
