"""Lightning classifier where the data pipeline subsamples the training split to a "debug"
size of 48 rows and the flag was never switched back. A 2x256 MLP memorises the 48 rows
(train loss ~0) while held-out accuracy stays poor. TensorBoardLogger.

--control uses the full 3000-row training split.
"""
# expect: high_variance
# allow: overfitting
# forbid: *
# evidence: control (3000 train rows) val_acc 0.87, val_loss 0.35, train_loss 0.16; planted (48 rows) train_loss 0.0001 / train_acc 1.0 but val_acc 0.47, val_loss 2.37 rising every eval (chance 0.2)
# control: --control
# native-log: tb
# log-expect: high_variance
# log-allow: overfitting
import argparse, json, os, tempfile, warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import TensorBoardLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


class ShapesDM(pl.LightningDataModule):
    def __init__(self, debug_subset=None):
        super().__init__()
        self.debug_subset = debug_subset

    def setup(self, stage=None):
        g = torch.Generator().manual_seed(0)
        d = 30
        W = torch.randn(d, 5, generator=g)
        x = torch.randn(4000, d, generator=g)
        logits = (x @ W) + 0.8 * torch.sin(2 * x[:, :5])
        y = (logits + 0.8 * torch.randn(4000, 5, generator=g)).argmax(1)
        xtr, ytr = x[:3000], y[:3000]
        if self.debug_subset:
            xtr, ytr = xtr[: self.debug_subset], ytr[: self.debug_subset]
        self.train_set = TensorDataset(xtr, ytr)
        self.val_set = TensorDataset(x[3000:], y[3000:])

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=16, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=500)


class MLP(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(30, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 5))

    def forward(self, x):
        return self.f(x)

    def training_step(self, batch, i):
        x, y = batch
        out = self(x)
        loss = F.cross_entropy(out, y)
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        self.log("train_acc", (out.argmax(1) == y).float().mean(), on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y))
        self.log("val_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    args = p.parse_args()
    pl.seed_everything(3, verbose=False)
    dm = ShapesDM(debug_subset=None if args.control else 48)
    m = MLP()
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    # same number of optimiser steps either way (700)
    epochs = 10 if args.control else 300
    trainer = pl.Trainer(max_steps=700, max_epochs=epochs, accelerator="cpu",
                         logger=TensorBoardLogger(logdir, name="tb", version=""),
                         check_val_every_n_epoch=1 if args.control else 30, log_every_n_steps=1,
                         enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(m, dm)
    m.eval()
    with torch.no_grad():
        xt, yt = dm.train_set.tensors
        xv, yv = dm.val_set.tensors
        ot, ov = m(xt), m(xv)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(ov, yv).item(), 4), "val_acc": round((ov.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(ot, yt).item(), 4), "train_acc": round((ot.argmax(1) == yt).float().mean().item(), 4),
        "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
