"""Soft-sensor regression: predict outlet temperature from 6 process readings.

Training and dev data come from plant A (2023). The test set is the plant the model will be
deployed on (plant B), whose readings cover a different operating range and whose sensor 3
is mounted downstream (so the relation between feature 3 and the target changes).
Thermocouple noise sd = 0.3 K -> Bayes MSE = 0.09 on every plant.

--control: the test set is drawn from plant A as well.
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: Bayes MSE 0.09; planted train 0.098, dev (plant A) 0.112, test (plant B) 5.15 -> mismatch +5.04; control (test from plant A) test 0.103 -> mismatch -0.009
# control: --control
# native-log: softsensor/version_0/metrics.csv
# log-expect: data_mismatch
# log-allow:
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(2024, verbose=False)
NOISE_SD = 0.3
BAYES_MSE = NOISE_SD ** 2
W = np.array([1.5, -2.0, 0.8, 1.2, 0.0, 0.5])


def plant(n, seed, site="A"):
    r = np.random.default_rng(seed)
    state = r.normal(0.0, 1.0, size=(n, 6))            # true process state
    if site == "B":
        state[:, 0] += 1.0                              # hotter operating point
    y = state @ W + 0.7 * np.tanh(state[:, 0] * state[:, 1]) + NOISE_SD * r.normal(size=n)
    X = state.copy()                                    # what the sensors report
    if site == "B":
        X[:, 3] = 0.5 - 0.8 * state[:, 3]               # downstream mounting: offset, inverted response
    return TensorDataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32))


class SoftSensor(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(6, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.mlp(x).squeeze(-1)

    def _mse(self, batch):
        x, y = batch
        return nn.functional.mse_loss(self(x), y)

    def training_step(self, batch, i):
        loss = self._mse(batch)
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        return loss

    def validation_step(self, batch, i):
        self.log("val_loss", self._mse(batch))

    def test_step(self, batch, i):
        self.log("test_loss", self._mse(batch))
        self.log("bayes_mse", BAYES_MSE)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=3e-3)


control = "--control" in sys.argv
train_set, dev_set = plant(3000, 0), plant(800, 1)
test_set = plant(800, 2, site="A" if control else "B")

logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
trainer = L.Trainer(max_epochs=20, logger=CSVLogger(logdir, name="softsensor"), enable_progress_bar=False,
                    enable_checkpointing=False, enable_model_summary=False)
model = SoftSensor()
trainer.fit(model, DataLoader(train_set, batch_size=64, shuffle=True), DataLoader(dev_set, batch_size=800))
trainer.test(model, DataLoader(test_set, batch_size=800), verbose=False)


def mse_on(ds):
    model.eval()
    with torch.no_grad():
        return nn.functional.mse_loss(model(ds.tensors[0]), ds.tensors[1]).item()


tr, dv, te = mse_on(train_set), mse_on(dev_set), mse_on(test_set)
print(f"Bayes MSE {BAYES_MSE:.3f} | train {tr:.3f} | dev (plant A) {dv:.3f} | test ({'A' if control else 'B'}) {te:.3f}")
print(f"avoidable bias {tr - BAYES_MSE:+.3f}, variance {dv - tr:+.3f}, mismatch {te - dv:+.3f}")
print("CORPUS_METRIC " + json.dumps({"train_mse": round(tr, 4), "val_mse": round(dv, 4), "test_mse": round(te, 4),
                                     "bayes_mse": BAYES_MSE, "target_var": round(float(dev_set.tensors[1].var()), 3),
                                     "train_err": round(tr, 4), "dev_err": round(dv, 4), "test_err": round(te, 4),
                                     "bayes_err": BAYES_MSE}))
