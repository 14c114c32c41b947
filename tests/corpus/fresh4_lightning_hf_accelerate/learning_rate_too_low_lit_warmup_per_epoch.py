# Churn classifier on a customer table. The LR schedule is a linear warm-up
# written in *optimizer steps* (WARMUP_STEPS) but registered with
# interval="epoch", so Lightning only advances it once per epoch and the
# learning rate never gets past a few percent of its peak.
#
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (interval="step") reaches val_loss 0.20 / val_acc 0.91 (train_loss 0.18); planted (interval="epoch") stalls at val_loss 0.53 / val_acc 0.87 (train_loss 0.55), lr never exceeds 8.7e-5 instead of 2e-3
# control: --control
# native-log: metrics.csv
# log-expect: learning_rate_too_low
# log-allow: non_convergence, high_bias
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)

COLUMNS = ["tenure_months", "monthly_charges", "support_calls", "contract_len",
           "late_payments", "data_usage_gb", "num_products", "age"]
PEAK_LR = 2e-3
WARMUP_STEPS = 300
EPOCHS = 12
BATCH = 64


def make_customers(n, seed):
    rng = np.random.default_rng(seed)
    df = {
        "tenure_months": rng.integers(1, 72, n),
        "monthly_charges": rng.normal(65, 20, n),
        "support_calls": rng.poisson(1.5, n),
        "contract_len": rng.choice([1, 12, 24], n),
        "late_payments": rng.poisson(0.7, n),
        "data_usage_gb": rng.gamma(2.0, 8.0, n),
        "num_products": rng.integers(1, 5, n),
        "age": rng.integers(18, 80, n),
    }
    z = (-0.05 * df["tenure_months"] + 0.03 * df["monthly_charges"] + 0.6 * df["support_calls"]
         - 0.08 * df["contract_len"] + 0.8 * df["late_payments"] - 0.4 * df["num_products"]
         + 0.6 * np.sin(df["data_usage_gb"] / 5.0))
    p = 1 / (1 + np.exp(-(z - np.median(z)) * 4.0))
    y = (rng.random(n) < p).astype(np.int64)
    X = np.stack([df[c] for c in COLUMNS], 1).astype(np.float32)
    return X, y


class ChurnData(pl.LightningDataModule):
    def setup(self, stage=None):
        X, y = make_customers(3000, seed=11)
        mu, sd = X[:2400].mean(0), X[:2400].std(0)
        X = (X - mu) / sd
        X, y = torch.tensor(X), torch.tensor(y)
        self.tr = TensorDataset(X[:2400], y[:2400])
        self.va = TensorDataset(X[2400:], y[2400:])

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=BATCH, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=600)


class ChurnMLP(pl.LightningModule):
    def __init__(self, sched_interval):
        super().__init__()
        self.sched_interval = sched_interval
        self.body = nn.Sequential(nn.Linear(len(COLUMNS), 64), nn.ReLU(),
                                  nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
        self.loss = nn.CrossEntropyLoss()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = self.loss(self.body(x), y)
        self.log("train_loss", loss, on_epoch=True, on_step=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        out = self.body(x)
        self.log("val_loss", self.loss(out, y))
        self.log("val_acc", (out.argmax(-1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=PEAK_LR)
        warm = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / WARMUP_STEPS))
        return {"optimizer": opt,
                "lr_scheduler": {"scheduler": warm, "interval": self.sched_interval, "frequency": 1}}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    pl.seed_everything(0)
    logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    model = ChurnMLP("step" if args.control else "epoch")
    trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=EPOCHS, logger=CSVLogger(logdir, name="", version=""),
                         enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                         log_every_n_steps=5, callbacks=[LearningRateMonitor(logging_interval="step")])
    dm = ChurnData()
    trainer.fit(model, dm)
    tl = trainer.callback_metrics["train_loss_epoch"].item()
    v = trainer.validate(model, dm, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(v["val_loss"], 4), "val_acc": round(v["val_acc"], 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.5,
                                         "final_lr": trainer.optimizers[0].param_groups[0]["lr"]}))
