# expect:
# forbid: *
# evidence: regression, target variance 1.476, noise variance 0.01: val_mse falls every epoch 0.321 -> 0.0302 (R^2 0.980), train_mse 0.0297 (no gap)
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
"""Regression of a smooth non-linear function of 5 inputs; logs the training loss at every step
(log_every_n_steps=1) and validation MSE every epoch."""
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(99, verbose=False)


def target_fn(x):
    return torch.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] - 0.7 * x[:, 3] ** 2 + 0.3 * x[:, 4]


g = torch.Generator().manual_seed(99)
X = torch.randn(2400, 5, generator=g)
Y = (target_fn(X) + 0.1 * torch.randn(2400, generator=g)).unsqueeze(1)
X_tr, Y_tr, X_va, Y_va = X[:2000], Y[:2000], X[2000:], Y[2000:]


class Regressor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Linear(5, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.model(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", F.mse_loss(self(x), y), on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=1e-2)
        return {"optimizer": opt,
                "lr_scheduler": {"scheduler": torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8),
                                 "interval": "epoch"}}


reg = Regressor()
trainer = L.Trainer(max_epochs=10, logger=CSVLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), version=0),
                    log_every_n_steps=1, enable_progress_bar=False, enable_model_summary=False,
                    accelerator="cpu", deterministic=True, enable_checkpointing=False)
trainer.fit(reg, DataLoader(TensorDataset(X_tr, Y_tr), batch_size=64, shuffle=True),
            DataLoader(TensorDataset(X_va, Y_va), batch_size=400))

reg.eval()
with torch.no_grad():
    val_mse = F.mse_loss(reg(X_va), Y_va).item()
    train_mse = F.mse_loss(reg(X_tr), Y_tr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                     "target_var": round(Y_va.var().item(), 4), "noise_var": 0.01,
                                     "val_r2": round(1 - val_mse / Y_va.var().item(), 4)}))
