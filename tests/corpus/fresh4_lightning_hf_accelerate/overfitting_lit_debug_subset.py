# Spectra -> material class (6 classes, 64 wavelength bins).
# A `DEBUG_SUBSET = 48` left over from smoke-testing makes the DataModule train on
# only 48 spectra while validating on 600; a wide MLP with no regularisation
# memorises them and the validation loss climbs for the rest of training.
# --control trains on the full 1800-spectrum split (subset removed).
#
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: control (1800 train, same 300 steps) val_loss 0.67 / val_acc 0.77; planted (48 train) train_loss 0.0004 but val_loss 1.56 (min 1.32 at epoch 20, then rising every check) / val_acc 0.52
# control: --control
# native-log: metrics.csv
# log-expect: overfitting
# log-allow: high_variance
import argparse, json, os, tempfile
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
DEBUG_SUBSET = 48


def spectra(n, rng, peaks):
    wl = np.linspace(0, 1, 64)
    y = rng.integers(0, len(peaks), n)
    X = np.zeros((n, 64), np.float32)
    for i, c in enumerate(y):
        for (mu, amp) in peaks[c]:
            X[i] += amp * np.exp(-((wl - mu - rng.normal(0, 0.03)) ** 2) / 0.002)
    X += rng.normal(0, 0.6, X.shape)
    X += rng.normal(0, 0.5, (n, 1)) * wl + rng.normal(0, 0.5, (n, 1))  # baseline drift
    return X.astype(np.float32), y


class SpectraDM(pl.LightningDataModule):
    def __init__(self, subset=None):
        super().__init__()
        self.subset = subset

    def setup(self, stage=None):
        rng = np.random.default_rng(5)
        peaks = [[(rng.uniform(0.1, 0.9), rng.uniform(0.5, 1.0)) for _ in range(3)] for _ in range(6)]
        X, y = spectra(2400, rng, peaks)
        X = (X - X.mean()) / X.std()
        Xtr, ytr = X[:1800], y[:1800]
        if self.subset:
            Xtr, ytr = Xtr[:self.subset], ytr[:self.subset]
        self.tr = TensorDataset(torch.from_numpy(Xtr), torch.from_numpy(ytr))
        self.va = TensorDataset(torch.from_numpy(X[1800:]), torch.from_numpy(y[1800:]))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=32, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=600)


class SpecMLP(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 6))

    def training_step(self, b, i):
        loss = F.cross_entropy(self.f(b[0]), b[1])
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        o = self.f(b[0])
        self.log("val_loss", F.cross_entropy(o, b[1]))
        self.log("val_acc", (o.argmax(1) == b[1]).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
args = ap.parse_args()
pl.seed_everything(1)
d = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
dm = SpectraDM(subset=None if args.control else DEBUG_SUBSET)
model = SpecMLP()
tr = pl.Trainer(accelerator="cpu", devices=1, max_steps=300, max_epochs=-1, logger=CSVLogger(d, name="", version=""),
                enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                log_every_n_steps=1, check_val_every_n_epoch=1 if args.control else 3)
tr.fit(model, dm)
train_loss = float(tr.callback_metrics["train_loss"])
v = tr.validate(model, dm, verbose=False)[0]
print("CORPUS_METRIC " + json.dumps({"val_loss": round(v["val_loss"], 4), "val_acc": round(v["val_acc"], 4),
                                     "train_loss": round(train_loss, 4), "n_train": len(dm.tr), "chance_acc": 1 / 6}))
