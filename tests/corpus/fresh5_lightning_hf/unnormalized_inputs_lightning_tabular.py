"""Credit-risk style tabular data (income in dollars, age in years, balance, ratios, counts)
fed to a Lightning MLP. The DataModule computes the StandardScaler statistics but the
`transform` is only applied in the control path: the planted run trains on raw features
(scales from 1e-2 to 1e5). CSVLogger.

--control standardises the features with train-set mean/std.
"""
# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, high_bias, saturated_activations, dead_units
# forbid: *
# evidence: control (z-scored inputs) val_acc 0.91, val_loss 0.20; planted (raw features, scales 0.01..1e5) val_acc 0.42 (majority 0.59), val_loss 11.0
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: non_convergence, learning_rate_too_high, high_bias
import argparse
import json
import os
import tempfile
import warnings

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def make_customers(n, rng):
    income = rng.lognormal(10.8, 0.5, n)              # ~ 50,000
    age = rng.uniform(20, 70, n)
    balance = rng.normal(8000, 3000, n)
    util = rng.beta(2, 5, n)                            # 0..1
    late = rng.poisson(1.0, n).astype(float)
    rate = rng.normal(0.05, 0.01, n)                    # interest rate ~0.05
    tenure_days = rng.uniform(0, 3650, n)
    z = (np.log(income) - 10.8) / 0.5 * -0.9 + (balance - 8000) / 3000 * 1.1 + (util - 0.28) * 6 \
        + 0.8 * (late - 1) + (rate - 0.05) * 120 - (age - 45) / 15 * 0.5 - (tenure_days - 1825) / 1000 * 0.4
    y = (z + rng.normal(0, 0.6, n) > 0.4).astype(np.int64)
    x = np.stack([income, age, balance, util, late, rate, tenure_days], 1).astype(np.float32)
    return x, y


class CreditDM(pl.LightningDataModule):
    def __init__(self, normalize):
        super().__init__()
        self.normalize = normalize

    def setup(self, stage=None):
        rng = np.random.default_rng(42)
        x, y = make_customers(4000, rng)
        xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
        self.mean, self.std = xtr.mean(0), xtr.std(0)
        if self.normalize:
            xtr = (xtr - self.mean) / self.std
            xva = (xva - self.mean) / self.std
        self.tr = TensorDataset(torch.tensor(xtr), torch.tensor(ytr))
        self.va = TensorDataset(torch.tensor(xva), torch.tensor(yva))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=500)


class RiskModel(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 2))
        self.ce = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = self.ce(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", self.ce(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    a = ap.parse_args()
    pl.seed_everything(1, verbose=False)
    dm = CreditDM(normalize=a.control)
    model = RiskModel()
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    trainer = pl.Trainer(max_epochs=10, accelerator="cpu", logger=CSVLogger(log_dir, name="", version=""),
                         log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
                         enable_checkpointing=False)
    trainer.fit(model, dm)
    model.eval()
    with torch.no_grad():
        xv, yv = dm.va.tensors
        xt, yt = dm.tr.tensors
        ov, ot = model(xv), model(xt)
    majority = max(yv.float().mean().item(), 1 - yv.float().mean().item())
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(model.ce(ov, yv).item(), 4), "val_acc": round((ov.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(model.ce(ot, yt).item(), 4), "chance_acc": round(majority, 4)}))
