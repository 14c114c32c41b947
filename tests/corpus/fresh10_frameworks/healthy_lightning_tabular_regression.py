# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.088 vs target variance 4.44 (val R^2 0.980), train_mse 0.055; 10 epochs OneCycle
# native-log: metrics.csv
# log-expect:
# log-allow:
"""Healthy: Lightning MLP regression on a synthetic nonlinear tabular problem (8 features),
LightningDataModule, AdamW + OneCycle, LearningRateMonitor, EarlyStopping, ModelCheckpoint."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import LearningRateMonitor, EarlyStopping, ModelCheckpoint
from torch.utils.data import TensorDataset, DataLoader

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


def make_data(n, rng):
    X = rng.normal(size=(n, 8)).astype(np.float32)
    y = (np.sin(X[:, 0]) * 2 + X[:, 1] * X[:, 2] + 0.5 * X[:, 3] ** 2 - X[:, 4] + 0.1 * rng.normal(size=n))
    return X, y.astype(np.float32)


class TabDM(L.LightningDataModule):
    def setup(self, stage=None):
        rng = np.random.default_rng(0)
        X, y = make_data(3000, rng)
        self.mu, self.sd = X[:2400].mean(0), X[:2400].std(0)
        X = (X - self.mu) / self.sd
        self.ym, self.ys = y[:2400].mean(), y[:2400].std()
        self.y_var = float(y[2400:].var())
        self.tr = TensorDataset(torch.tensor(X[:2400]), torch.tensor(y[:2400]))
        self.va = TensorDataset(torch.tensor(X[2400:]), torch.tensor(y[2400:]))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=600)


class Reg(L.LightningModule):
    def __init__(self, ym, ys, steps):
        super().__init__()
        self.ym, self.ys, self.steps = ym, ys, steps
        self.net = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
        self.loss = nn.MSELoss()

    def forward(self, x):
        return self.net(x).squeeze(-1) * self.ys + self.ym

    def training_step(self, b, i):
        x, y = b
        loss = self.loss((self(x) - self.ym) / self.ys, (y - self.ym) / self.ys)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        x, y = b
        mse = self.loss(self(x), y)
        self.log("val_mse", mse, prog_bar=False)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=3e-3, weight_decay=1e-4)
        sch = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=self.steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sch, "interval": "step"}}


dm = TabDM(); dm.setup()
EPOCHS = 10
model = Reg(float(dm.ym), float(dm.ys), EPOCHS * 38)
ckdir = tempfile.mkdtemp()
trainer = L.Trainer(max_epochs=EPOCHS, accelerator="cpu", devices=1, logger=CSVLogger(LOG_DIR, name="", version=""),
                    callbacks=[LearningRateMonitor("step"), EarlyStopping("val_mse", patience=6),
                               ModelCheckpoint(dirpath=ckdir, monitor="val_mse")],
                    enable_progress_bar=False, enable_model_summary=False, log_every_n_steps=10)
trainer.fit(model, datamodule=dm)
model.eval()
with torch.no_grad():
    xv, yv = dm.va.tensors; xt, yt = dm.tr.tensors
    val_mse = float(((model(xv) - yv) ** 2).mean()); tr_mse = float(((model(xt) - yt) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(tr_mse, 4),
                                     "target_var": round(dm.y_var, 4), "val_r2": round(1 - val_mse / dm.y_var, 4)}))
