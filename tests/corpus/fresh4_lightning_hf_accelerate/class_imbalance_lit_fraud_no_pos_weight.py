"""Card-fraud detector on transaction features, ~3% positives.

The loss is BCEWithLogitsLoss() -- the pos_weight computed in the data module
(n_neg / n_pos) is never passed to it, so the network settles on "never fraud".
--control passes pos_weight.
"""
# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: control (pos_weight ~23) reaches val balanced_acc 0.84 / fraud recall 0.86; planted (no pos_weight) gets balanced_acc 0.51 / recall 0.02 while plain val_acc 0.959 equals the majority rate 0.958
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: class_imbalance, high_bias
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
FEATURES = ["amount_log", "hour_sin", "hour_cos", "merchant_risk", "dist_home_km_log",
            "txn_last_24h", "card_age_days_log", "is_online", "foreign", "velocity_ratio"]


class FraudDM(pl.LightningDataModule):
    def __init__(self, batch_size=128):
        super().__init__()
        self.batch_size = batch_size

    def setup(self, stage=None):
        rng = np.random.default_rng(3)
        n = 6000
        y = (rng.random(n) < 0.03).astype(np.float32)
        X = rng.normal(size=(n, len(FEATURES))).astype(np.float32)
        shift = np.array([0.9, 0.2, -0.3, 0.8, 0.7, 0.6, -0.5, 0.4, 0.5, 0.8], dtype=np.float32)
        X[y == 1] += shift
        X[:, 7] = (X[:, 7] > 0).astype(np.float32)
        X[:, 8] = (X[:, 8] > 0.8).astype(np.float32)
        X = (X - X[:4500].mean(0)) / (X[:4500].std(0) + 1e-6)
        X, y = torch.from_numpy(X), torch.from_numpy(y)
        self.train_set = TensorDataset(X[:4500], y[:4500])
        self.val_set = TensorDataset(X[4500:], y[4500:])
        self.pos_weight = torch.tensor((y[:4500] == 0).sum() / (y[:4500] == 1).sum())

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=1500)


class FraudNet(pl.LightningModule):
    def __init__(self, pos_weight=None):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(len(FEATURES), 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))
        self.criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
        self.val_crit = nn.BCEWithLogitsLoss()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = self.criterion(self.model(x).squeeze(-1), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logit = self.model(x).squeeze(-1)
        pred = (logit > 0).float()
        tpr = ((pred == 1) & (y == 1)).float().sum() / (y == 1).float().sum().clamp(min=1)
        tnr = ((pred == 0) & (y == 0)).float().sum() / (y == 0).float().sum().clamp(min=1)
        self.log_dict({"val_loss": self.val_crit(logit, y), "val_acc": (pred == y).float().mean(),
                       "val_recall": tpr, "val_bal_acc": (tpr + tnr) / 2})

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def run(control):
    pl.seed_everything(21)
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    dm = FraudDM()
    dm.setup()
    net = FraudNet(pos_weight=dm.pos_weight if control else None)
    trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=15, logger=CSVLogger(out, name="", version=""),
                         enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=10,
                         callbacks=[ModelCheckpoint(dirpath=os.path.join(out, "checkpoints"), monitor="val_loss")])
    trainer.fit(net, datamodule=dm)
    tl = float(trainer.callback_metrics["train_loss_epoch"])
    r = trainer.validate(net, datamodule=dm, verbose=False)[0]
    return {"val_loss": round(r["val_loss"], 4), "val_acc": round(r["val_acc"], 4),
            "val_balanced_acc": round(r["val_bal_acc"], 4), "val_recall_fraud": round(r["val_recall"], 4),
            "train_loss": round(tl, 4), "majority_rate": round(1 - float(dm.val_set.tensors[1].mean()), 4),
            "chance_balanced_acc": 0.5}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    print("CORPUS_METRIC " + json.dumps(run(p.parse_args().control)))
