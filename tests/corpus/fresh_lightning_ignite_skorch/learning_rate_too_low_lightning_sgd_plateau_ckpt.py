# expect: learning_rate_too_low
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (SGD lr 3e-5, m0.9) val_loss 1.952 -> 1.944 over 6 epochs (monotone but ~flat), best val_acc 0.180 (majority 0.16); control (lr 0.03) val_loss 1.607 -> 0.218 and best val_acc 0.938, val_loss 0.214
# control: --control
# native-log: tabular/version_0/metrics.csv
# log-expect: learning_rate_too_low
# log-allow: high_bias, non_convergence
"""Tabular 7-class classifier (sklearn make_classification, standardised) in PyTorch Lightning:
LightningDataModule, SGD with momentum and ReduceLROnPlateau via a scheduler dict, validation
every 20 training batches (val_check_interval=20), ModelCheckpoint on val_acc, CSVLogger.

Planted: lr=LR_PLANTED (3e-5, typed one order of magnitude too low twice).
--control uses lr=0.03; nothing else differs."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tabular_")
LR_PLANTED, LR_CONTROL = 3e-5, 3e-2


class TabularData(L.LightningDataModule):
    def __init__(self, batch_size=48):
        super().__init__()
        self.batch_size = batch_size

    def prepare_data(self):
        pass  # synthetic, nothing to download

    def setup(self, stage=None):
        X, y = make_classification(n_samples=4000, n_features=24, n_informative=14, n_redundant=4,
                                   n_classes=7, n_clusters_per_class=1, class_sep=1.5, random_state=3)
        X = (X - X[:3000].mean(0)) / X[:3000].std(0)
        X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.long)
        self.train_ds = TensorDataset(X[:3000], y[:3000])
        self.val_ds = TensorDataset(X[3000:], y[3000:])

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=1000)


class TabularNet(L.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.mlp = nn.Sequential(nn.Linear(24, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 7))

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True, prog_bar=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9, nesterov=True)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=3)
        return {"optimizer": opt,
                "lr_scheduler": {"scheduler": plateau, "monitor": "val_loss", "interval": "step", "frequency": 20}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="lr 0.03 instead of 3e-5")
    args = ap.parse_args()
    L.seed_everything(21, verbose=False)

    dm = TabularData()
    model = TabularNet(lr=LR_CONTROL if args.control else LR_PLANTED)
    ckpt = ModelCheckpoint(dirpath=os.path.join(LOG_DIR, "ckpt"), monitor="val_acc", mode="max")
    trainer = L.Trainer(
        max_epochs=6,
        val_check_interval=20,
        callbacks=[ckpt, LearningRateMonitor(logging_interval="step")],
        logger=CSVLogger(LOG_DIR, name="tabular", version=0),
        log_every_n_steps=10,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    best = TabularNet.load_from_checkpoint(ckpt.best_model_path)
    best.eval()
    xv, yv = dm.val_ds.tensors
    xt, yt = dm.train_ds.tensors
    with torch.no_grad():
        lv, lt = best(xv), best(xt)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, yt).item(), 4),
        "chance_acc": round(float(np.bincount(yv.numpy()).max() / len(yv)), 4),
    }))


if __name__ == "__main__":
    main()
