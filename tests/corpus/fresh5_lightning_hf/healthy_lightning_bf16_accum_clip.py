"""Regression with Lightning under precision='bf16-mixed' on CPU, gradient accumulation (4)
and gradient clipping (norm 0.5); Adam + StepLR; CSVLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out val_mse 0.109 against target variance 1.08 (R^2 ~0.90); train_mse 0.109
# native-log: metrics.csv
# log-expect:
# log-allow:
import json
import os
import tempfile
import warnings

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split

import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def synth(n=4000, d=8):
    g = torch.Generator().manual_seed(3)
    x = torch.rand(n, d, generator=g) * 2 - 1
    y = torch.sin(2.5 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.5 * x[:, 3] ** 2 - 0.4 * x[:, 4] \
        + 0.1 * torch.randn(n, generator=g)
    y = (y - y.mean()) / y.std()
    return TensorDataset(x, y.unsqueeze(1))


class DM(pl.LightningDataModule):
    def setup(self, stage=None):
        full = synth()
        self.tr, self.va = random_split(full, [3200, 800], generator=torch.Generator().manual_seed(0))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=32, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=400)


class Regressor(pl.LightningModule):
    def __init__(self, width=128, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Linear(8, width), nn.SiLU(), nn.Linear(width, width), nn.SiLU(),
                                  nn.Linear(width, 1))
        self.loss_fn = nn.MSELoss()

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, _):
        x, y = batch
        loss = self.loss_fn(self(x).float(), y)
        self.log("train_loss", loss, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_mse", self.loss_fn(self(x).float(), y))

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return [opt], [torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)]


if __name__ == "__main__":
    pl.seed_everything(11, verbose=False)
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    dm = DM()
    model = Regressor()
    trainer = pl.Trainer(max_epochs=12, precision="bf16-mixed", accumulate_grad_batches=4,
                         gradient_clip_val=0.5, accelerator="cpu", devices=1,
                         logger=CSVLogger(out, name="", version=""), log_every_n_steps=5,
                         enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, dm)
    val = trainer.validate(model, dm, verbose=False)[0]["val_mse"]
    model.eval()
    with torch.no_grad():
        xs = torch.stack([dm.tr[i][0] for i in range(len(dm.tr))])
        ys = torch.stack([dm.tr[i][1] for i in range(len(dm.tr))])
        yv = torch.stack([dm.va[i][1] for i in range(len(dm.va))])
        train_mse = nn.functional.mse_loss(model(xs), ys).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(val, 4), "train_mse": round(train_mse, 4),
                                         "target_var": round(yv.var().item(), 4),
                                         "val_loss": round(val, 4), "train_loss": round(train_mse, 4)}))
