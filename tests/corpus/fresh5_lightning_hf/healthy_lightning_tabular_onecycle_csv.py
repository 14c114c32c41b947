"""Tabular 4-class classification with a LightningModule + LightningDataModule.

AdamW + OneCycleLR, EarlyStopping on val_loss, ModelCheckpoint, LearningRateMonitor, CSVLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.93 (chance 0.25), val_loss 0.31, train_loss 0.22; one-cycle AdamW, early stopping never triggers
# native-log: metrics.csv
# log-expect:
# log-allow:
import json
import os
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


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 12, generator=g)
    # nonlinear rule: sign pattern of two projections
    w1 = torch.linspace(-1, 1, 12)
    w2 = torch.cos(torch.arange(12.0))
    a = x @ w1 + 0.5 * x[:, 0] * x[:, 1]
    b = x @ w2 / 2 - 0.3 * x[:, 3] ** 2 + 0.3
    y = (a > 0).long() * 2 + (b > 0).long()
    flip = torch.rand(n, generator=g) < 0.03
    y[flip] = torch.randint(0, 4, (int(flip.sum()),), generator=g)
    return x, y


class TabularDM(pl.LightningDataModule):
    def __init__(self, batch_size=96):
        super().__init__()
        self.batch_size = batch_size

    def setup(self, stage=None):
        xtr, ytr = make_data(3000, 1)
        xva, yva = make_data(1000, 2)
        mu, sd = xtr.mean(0), xtr.std(0)
        self.train_ds = TensorDataset((xtr - mu) / sd, ytr)
        self.val_ds = TensorDataset((xva - mu) / sd, yva)

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=500)


class Classifier(pl.LightningModule):
    def __init__(self, lr=4e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Linear(12, 128), nn.GELU(), nn.Dropout(0.1),
            nn.Linear(128, 128), nn.GELU(), nn.Dropout(0.1),
            nn.Linear(128, 4),
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=False)
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-2)
        sched = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=self.hparams.lr,
            total_steps=int(self.trainer.estimated_stepping_batches))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def main():
    pl.seed_everything(0, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    ckpt_dir = tempfile.mkdtemp()
    dm = TabularDM()
    model = Classifier()
    trainer = pl.Trainer(
        max_epochs=14, accelerator="cpu", devices=1,
        logger=CSVLogger(save_dir=log_dir, name="", version=""),
        callbacks=[EarlyStopping("val_loss", patience=3),
                   ModelCheckpoint(dirpath=ckpt_dir, monitor="val_loss", save_top_k=1),
                   LearningRateMonitor(logging_interval="step")],
        log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
    )
    trainer.fit(model, datamodule=dm)
    res = trainer.validate(model, datamodule=dm, verbose=False)[0]
    model.eval()
    with torch.no_grad():
        xtr, ytr = dm.train_ds.tensors
        train_loss = F.cross_entropy(model(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(res["val_loss"], 4), "val_acc": round(res["val_acc"], 4),
        "train_loss": round(train_loss, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
