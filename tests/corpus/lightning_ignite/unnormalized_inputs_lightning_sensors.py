# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients, dead_units, saturated_activations
# forbid: *
# evidence: planted (raw inputs, |x| mean 1511): val_loss 21.2 -> 4.50, val_acc 0.700, train_loss spikes 66 -> 2.6; control (standardised): val_loss 0.166, val_acc 0.938 (chance 0.333)
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high, overfitting, high_variance
"""Sensor readings in raw units (thousands, with offsets) fed straight into an MLP.
--control standardises every feature with the training-set mean/std first."""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.loggers import CSVLogger


def build_dataset(seed=2, n=2500, d=8):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(d, 3, generator=g)
    z = torch.randn(n, d, generator=g)
    y = (z @ w + 0.3 * torch.randn(n, 3, generator=g)).argmax(1)
    # the readings as logged by the devices: millivolts / pascals with their offsets
    offset = torch.tensor([5000., -2000., 300., 0., 100., 800., -50., 20.])
    raw = z * 1000.0 + offset
    return raw, y


class SensorModel(L.LightningModule):
    def __init__(self, d=8, classes=3):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, classes))

    def forward(self, x):
        return self.mlp(x)

    def _step(self, batch):
        x, y = batch
        logits = self(x)
        return F.cross_entropy(logits, y), (logits.argmax(1) == y).float().mean()

    def training_step(self, batch, batch_idx):
        loss, _ = self._step(batch)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        loss, acc = self._step(batch)
        self.log("val_loss", loss, on_epoch=True)
        self.log("val_acc", acc, on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


if __name__ == "__main__":
    torch.set_num_threads(1)
    L.seed_everything(0, verbose=False)
    x, y = build_dataset()
    x_tr, y_tr, x_va, y_va = x[:2000], y[:2000], x[2000:], y[2000:]
    if "--control" in sys.argv:
        mu, sd = x_tr.mean(0), x_tr.std(0)
        x_tr, x_va = (x_tr - mu) / sd, (x_va - mu) / sd

    model = SensorModel()
    out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sensors")
    trainer = L.Trainer(max_epochs=10, logger=CSVLogger(out_dir, version=0), log_every_n_steps=4,
                        enable_progress_bar=False, enable_model_summary=False, accelerator="cpu",
                        deterministic=True, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(x_tr, y_tr), batch_size=128, shuffle=True),
                DataLoader(TensorDataset(x_va, y_va), batch_size=500))

    model.eval()
    with torch.no_grad():
        vl, va = model._step((x_va, y_va))
        tl, ta = model._step((x_tr, y_tr))
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl.item(), 4), "val_acc": round(va.item(), 4),
                                         "train_loss": round(tl.item(), 4), "train_acc": round(ta.item(), 4),
                                         "chance_acc": 0.3333, "input_abs_mean": round(x_tr.abs().mean().item(), 2)}))
