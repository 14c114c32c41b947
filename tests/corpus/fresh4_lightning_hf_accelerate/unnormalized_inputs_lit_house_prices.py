# House-price regression (target in $100k) from raw listing columns.
# The StandardScaler step was commented out "temporarily", so the network sees
# lot size in square feet (~10^4), year built (~2000), lat/long and counts side
# by side.  --control re-enables standardisation (fit on train only).
#
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units
# forbid: *
# evidence: control (standardised) val_mse 0.23 (target var 2.77, noise var 0.06); planted (raw units) val_mse 12.3, worse than predicting the mean
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, unnormalized_inputs
import sys, os, json, tempfile
import numpy as np
import torch
import torch.nn as nn
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
COLS = ["sqft_living", "sqft_lot", "bedrooms", "bathrooms", "year_built", "latitude", "longitude", "garage_cars"]


def listings(n=2500, seed=4):
    r = np.random.default_rng(seed)
    sqft = r.gamma(6, 350, n)
    lot = r.gamma(2, 5000, n)
    bed = np.clip(np.round(sqft / 600 + r.normal(0, 0.7, n)), 1, 7)
    bath = np.clip(np.round(bed * 0.6 + r.normal(0, 0.5, n)) / 1, 1, 5)
    year = r.integers(1920, 2022, n).astype(float)
    lat = r.uniform(47.2, 47.8, n)
    lon = r.uniform(-122.5, -121.8, n)
    gar = r.integers(0, 4, n).astype(float)
    price = (1.5 * sqft / 1000 + 0.15 * np.log(lot) + 0.2 * bath + 0.008 * (year - 1970)
             + 3.0 * np.exp(-((lat - 47.6) ** 2 + (lon + 122.3) ** 2) / 0.02) + 0.1 * gar + r.normal(0, 0.25, n))
    X = np.stack([sqft, lot, bed, bath, year, lat, lon, gar], 1).astype(np.float32)
    return X, price.astype(np.float32)


class Listings(pl.LightningDataModule):
    def setup(self, stage=None):
        X, y = listings()
        ntr = 2000
        if CONTROL:
            mean, std = X[:ntr].mean(0), X[:ntr].std(0)
            X = (X - mean) / std
        ym = y[:ntr].mean()
        y = y - ym  # centre the target
        self.tv = float(y[ntr:].var())
        X, y = torch.from_numpy(X), torch.from_numpy(y)[:, None]
        self.train, self.val = TensorDataset(X[:ntr], y[:ntr]), TensorDataset(X[ntr:], y[ntr:])

    def train_dataloader(self):
        return DataLoader(self.train, batch_size=32, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val, batch_size=500)


class PriceReg(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self.mlp(x), y)
        self.log("train_mse", loss, on_epoch=True, on_step=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_mse", nn.functional.mse_loss(self.mlp(x), y))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)}


pl.seed_everything(3)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
dm = Listings()
model = PriceReg()
trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=14, logger=CSVLogger(logdir, name="", version=""),
                     enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                     log_every_n_steps=10, gradient_clip_val=5.0)
trainer.fit(model, dm)
tm = float(trainer.callback_metrics["train_mse_epoch"])
res = trainer.validate(model, dm, verbose=False)[0]
print("CORPUS_METRIC " + json.dumps({"val_mse": round(res["val_mse"], 4), "train_mse": round(tm, 4),
                                     "target_var": round(dm.tv, 4)}))
