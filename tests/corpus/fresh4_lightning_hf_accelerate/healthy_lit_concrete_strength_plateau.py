# Concrete compressive strength regression (mix proportions -> MPa), Lightning.
# Inputs standardised with train statistics, target standardised, ReduceLROnPlateau
# on val_loss, EarlyStopping(patience=6), best checkpoint restored for the final
# numbers.  CSVLogger -> metrics.csv.
#
# expect:
# allow:
# forbid: *
# evidence: best-checkpoint val_mse 0.037 in standardised units (target var ~1.0, linear-regression baseline 0.119); train_mse 0.034; early stopping at epoch ~35
# native-log: metrics.csv
# log-expect:
# log-allow:
import json, os, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint, LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
MIX = ["cement", "slag", "fly_ash", "water", "superplasticizer", "coarse_agg", "fine_agg", "age_days"]


def concrete(n, seed=31):
    r = np.random.default_rng(seed)
    cement = r.uniform(100, 540, n); slag = r.uniform(0, 360, n) * (r.random(n) < 0.6)
    ash = r.uniform(0, 200, n) * (r.random(n) < 0.5); water = r.uniform(120, 250, n)
    sp = r.uniform(0, 30, n) * (r.random(n) < 0.7); coarse = r.uniform(800, 1150, n)
    fine = r.uniform(590, 990, n); age = r.choice([3, 7, 14, 28, 56, 90, 180, 365], n)
    binder = cement + 0.6 * slag + 0.4 * ash
    wb = water / binder
    strength = 90 * np.exp(-2.2 * wb) * (1 - np.exp(-age / 12)) ** 0.6 + 0.2 * sp + r.normal(0, 2.5, n)
    X = np.stack([cement, slag, ash, water, sp, coarse, fine, age], 1)
    return X.astype(np.float32), strength.astype(np.float32)


class ConcreteData(pl.LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        self.batch_size = batch_size

    def setup(self, stage=None):
        X, y = concrete(1300)
        X[:, 7] = np.log(X[:, 7])
        Xtr, ytr, Xva, yva = X[:1000], y[:1000], X[1000:], y[1000:]
        m, s = Xtr.mean(0), Xtr.std(0)
        self.ym, self.ys = ytr.mean(), ytr.std()
        f = lambda a, b: TensorDataset(torch.tensor((a - m) / s), torch.tensor((b - self.ym) / self.ys))
        self.train_ds, self.val_ds = f(Xtr, ytr), f(Xva, yva)
        A = np.c_[(Xtr - m) / s, np.ones(len(Xtr))]
        coef = np.linalg.lstsq(A, (ytr - self.ym) / self.ys, rcond=None)[0]
        self.linear_baseline = float(np.mean((np.c_[(Xva - m) / s, np.ones(len(Xva))] @ coef - (yva - self.ym) / self.ys) ** 2))

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=300)


class StrengthNet(pl.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(8, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_mse", F.mse_loss(self(x), y))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr, weight_decay=1e-5)
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": plateau, "monitor": "val_mse"}}


def main():
    pl.seed_everything(31)
    root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    dm = ConcreteData()
    ckpt = ModelCheckpoint(dirpath=os.path.join(root, "ckpt"), monitor="val_mse", mode="min")
    trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=40, logger=CSVLogger(root, name="", version=""),
                         enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=8,
                         callbacks=[EarlyStopping(monitor="val_mse", patience=6), ckpt, LearningRateMonitor()])
    model = StrengthNet()
    trainer.fit(model, datamodule=dm)
    train_mse = float(trainer.callback_metrics["train_mse_epoch"])
    res = trainer.validate(model, datamodule=dm, ckpt_path=ckpt.best_model_path, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(res["val_mse"], 4), "train_mse": round(train_mse, 4),
                                         "target_var": 1.0, "linear_baseline_mse": round(dm.linear_baseline, 4),
                                         "epochs_run": trainer.current_epoch}))


if __name__ == "__main__":
    main()
