# Surrogate model of a 2-D response surface: y = sin(3 x1) * cos(2 x2) + 0.5 x1 x2 + N(0, 0.1^2)
# Irreducible error (Bayes MSE) = 0.01, the measurement noise variance of the rig.
# The net was shrunk to 2 hidden units to "fit on the microcontroller". --control: 64 hidden units.
# expect: high_bias
# allow: non_convergence, saturated_activations
# forbid: *
# evidence: Bayes MSE 0.01 (noise sd 0.1), var y 0.80; planted (2 hidden units) train MSE 0.401, dev MSE 0.402 -> avoidable bias 0.39, variance 0.0005; control (64 units) train MSE 0.023, dev MSE 0.025
# control: --control
# native-log: surrogate/version_0/metrics.csv
# log-expect: high_bias
# log-allow: non_convergence
import argparse
import json
import os
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
NOISE_VAR = 0.01   # 0.1 ** 2


def response(x):
    return torch.sin(3 * x[:, 0]) * torch.cos(2 * x[:, 1]) + 0.5 * x[:, 0] * x[:, 1]


class SurfaceData(pl.LightningDataModule):
    def __init__(self, n_train=3000, n_dev=1000):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        xt = torch.rand(n_train, 2, generator=g) * 4 - 2
        xd = torch.rand(n_dev, 2, generator=g) * 4 - 2
        self.train_set = TensorDataset(xt, response(xt) + 0.1 * torch.randn(n_train, generator=g))
        self.dev_set = TensorDataset(xd, response(xd) + 0.1 * torch.randn(n_dev, generator=g))

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.dev_set, batch_size=1000)


class Surrogate(pl.LightningModule):
    def __init__(self, width):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, width), nn.Tanh(), nn.Linear(width, width), nn.Tanh(),
                                 nn.Linear(width, 1))

    def forward(self, x):
        return self.net(x).squeeze(1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self(x), y))
        self.log("bayes_error", NOISE_VAR)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=5e-3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    pl.seed_everything(5, verbose=False)
    width = 64 if args.control else 2
    dm = SurfaceData()
    model = Surrogate(width)
    out = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    trainer = pl.Trainer(max_epochs=25, logger=CSVLogger(out, name="surrogate"), enable_progress_bar=False,
                         enable_checkpointing=False, enable_model_summary=False)
    trainer.fit(model, datamodule=dm)
    model.eval()
    with torch.no_grad():
        xt, yt = dm.train_set.tensors
        xd, yd = dm.dev_set.tensors
        tr = nn.functional.mse_loss(model(xt), yt).item()
        dv = nn.functional.mse_loss(model(xd), yd).item()
    var_y = yd.var().item()
    print(f"width={width}: Bayes MSE {NOISE_VAR:.4f}  train MSE {tr:.4f}  dev MSE {dv:.4f}  (var y {var_y:.3f})")
    print(f"avoidable bias {tr - NOISE_VAR:.4f}  variance {dv - tr:.4f}")
    print("CORPUS_METRIC " + json.dumps({"train_mse": round(tr, 5), "val_mse": round(dv, 5),
                                         "bayes_mse": NOISE_VAR, "target_var": round(var_y, 4),
                                         "train_err": round(tr, 5), "dev_err": round(dv, 5),
                                         "bayes_err": NOISE_VAR}))


if __name__ == "__main__":
    main()
