# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr 5e-5) val_mse 1.731 vs target variance 1.767 (train_mse 1.61); control (lr 0.02) val_mse 0.125
# control: --control
# native-log: regress/version_0/metrics.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
"""Smooth non-linear regression (16 standardised inputs, target = sum of sin/product terms, unit
variance ~1.8) with an MLP, plain SGD+momentum and accumulate_grad_batches=4. The lr
was "scaled for the accumulation" twice: an lr of 2e-4 copied from an Adam config and then divided
by the 4 accumulated batches (5e-5). After 15 epochs the loss has barely moved from the
predict-the-mean level. --control uses lr=0.02 (nothing else changes).
"""
import argparse
import json
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.loggers import CSVLogger

warnings.filterwarnings("ignore")
D = 16


def make(n, g):
    x = torch.randn(n, D, generator=g)
    y = torch.sin(x[:, 0] * 1.5) + 0.8 * x[:, 1] * x[:, 2] + 0.6 * torch.tanh(x[:, 3:8].sum(1)) \
        + 0.5 * x[:, 8] + 0.1 * torch.randn(n, generator=g)
    return x, y[:, None]


class Regressor(pl.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_mse", F.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    pl.seed_everything(4, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="lowlr_")
    g = torch.Generator().manual_seed(4)
    xtr, ytr = make(2000, g)
    xva, yva = make(800, g)
    accumulate = 4
    lr = 0.02 if args.control else 2e-4 / accumulate
    model = Regressor(lr)
    trainer = pl.Trainer(max_epochs=15, accelerator="cpu", devices=1, accumulate_grad_batches=accumulate,
                         logger=CSVLogger(log_dir, name="regress", version=0),
                         log_every_n_steps=10, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=800))
    model.eval()
    with torch.no_grad():
        pv, pt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(F.mse_loss(pv, yva).item(), 4),
        "train_mse": round(F.mse_loss(pt, ytr).item(), 4),
        "target_var": round(yva.var().item(), 4),
    }))


if __name__ == "__main__":
    main()
