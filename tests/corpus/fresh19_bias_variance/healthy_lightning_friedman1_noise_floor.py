"""Friedman #1 regression with additive N(0, 1) noise.

Bias/variance bookkeeping: the noise variance is 1.0, so the irreducible (Bayes) MSE is 1.0.
Target variance is ~25, so a dev MSE near 1.x means the model has captured essentially
everything that can be captured. Train MSE will sit at the noise floor too, not at zero.
"""
# expect:
# allow:
# forbid: *
# evidence: Bayes MSE 1.0 (noise sd 1), target var 23.0; train MSE 1.08, dev MSE 1.18 -> avoidable bias +0.08, variance +0.10 (both small vs target var); train MSE plateaus at the noise floor, not at 0
# native-log: friedman/version_0/metrics.csv
# log-expect:
# log-allow:
import os
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import make_friedman1
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
L.seed_everything(123, verbose=False)
NOISE_SD = 1.0
BAYES_MSE = NOISE_SD ** 2


def dataset(n, seed):
    X, y = make_friedman1(n_samples=n, n_features=10, noise=NOISE_SD, random_state=seed)
    X = (X - 0.5) / np.sqrt(1 / 12)   # features are U(0,1): standardise with the known moments
    return TensorDataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32))


train_ds, dev_ds = dataset(6000, 0), dataset(1000, 1)
target_var = float(dev_ds.tensors[1].var())


class Regressor(L.LightningModule):
    def __init__(self, hidden=128, lr=4e-3):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Linear(10, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                  nn.Linear(hidden, 1))

    def forward(self, x):
        return self.body(x).squeeze(-1)

    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("dev_mse", nn.functional.mse_loss(self(x), y), on_epoch=True)
        self.log("bayes_mse", BAYES_MSE, on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)
        return [opt], [sched]


log_root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
trainer = L.Trainer(max_epochs=22, logger=CSVLogger(log_root, name="friedman"), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, deterministic=True)
model = Regressor()
trainer.fit(model, DataLoader(train_ds, batch_size=128, shuffle=True), DataLoader(dev_ds, batch_size=500))

model.eval()
with torch.no_grad():
    tr_mse = nn.functional.mse_loss(model(train_ds.tensors[0]), train_ds.tensors[1]).item()
    dv_mse = nn.functional.mse_loss(model(dev_ds.tensors[0]), dev_ds.tensors[1]).item()
print(f"Bayes MSE {BAYES_MSE:.2f} | train MSE {tr_mse:.3f} | dev MSE {dv_mse:.3f} | target var {target_var:.2f}")
print(f"avoidable bias {tr_mse - BAYES_MSE:+.3f}   variance {dv_mse - tr_mse:+.3f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(tr_mse, 4), "val_mse": round(dv_mse, 4),
                                     "bayes_mse": BAYES_MSE, "target_var": round(target_var, 3),
                                     "train_err": round(tr_mse, 4), "dev_err": round(dv_mse, 4),
                                     "bayes_err": BAYES_MSE}))
