# expect: dead_units
# allow: high_bias, non_convergence, poor_initialization, vanishing_gradients
# forbid: *
# evidence: planted (hidden bias -1.5): units dead on every val row per layer [0.0, 0.17, 1.0], val_acc 0.381 = majority 0.381, val_loss 1.33; control (bias 0): dead 0.016, val_acc 0.889, val_loss 0.27
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow: high_bias, non_convergence, dead_units, poor_initialization
"""Regression-turned-classification 'credit band' model (4 bands from 14 standardised features),
PyTorch Lightning. The model's `reset_parameters` hook initialises every hidden ReLU bias to
-1.5 ("so that activations start sparse"), with Kaiming weights. Each layer's input is sparser
than the last, and the third hidden layer ends up with every unit silent on every input, so no
gradient reaches anything below it and the output is constant. --control initialises those
biases to 0 (the only change). The script measures the fraction of hidden ReLU units that are zero on every validation row.
"""
import argparse
import json
import os
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.callbacks import LearningRateMonitor
from pytorch_lightning.loggers import CSVLogger

warnings.filterwarnings("ignore")


def credit_data(n, g, w1, w2):
    x = torch.randn(n, 14, generator=g)
    s = x @ w1 + 0.5 * torch.relu(x @ w2).sum(1)
    y = torch.bucketize(s, torch.tensor([-1.0, 0.5, 2.0]))
    return x, y


class CreditBandNet(pl.LightningModule):
    def __init__(self, hidden_bias_init: float = -1.5, lr: float = 1e-3, width: int = 64):
        super().__init__()
        self.save_hyperparameters()
        self.hidden = nn.ModuleList([nn.Linear(14, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.out = nn.Linear(width, 4)
        self.reset_parameters()

    def reset_parameters(self):
        for lin in self.hidden:
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            nn.init.constant_(lin.bias, self.hparams.hidden_bias_init)

    def forward(self, x, return_acts=False):
        acts = []
        h = x
        for lin in self.hidden:
            h = F.relu(lin(h))
            acts.append(h)
        out = self.out(h)
        return (out, acts) if return_acts else out

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log_dict({"train_loss": loss, "train_acc": (logits.argmax(1) == y).float().mean()},
                      on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log_dict({"val_loss": F.cross_entropy(logits, y), "val_acc": (logits.argmax(1) == y).float().mean()})

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        return {"optimizer": opt,
                "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.trainer.max_epochs)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(1)
    pl.seed_everything(13, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="dead_relu_")

    g = torch.Generator().manual_seed(13)
    w1 = torch.randn(14, generator=g) * 0.5
    w2 = torch.randn(14, 4, generator=g) * 0.5
    xtr, ytr = credit_data(3000, g, w1, w2)
    xva, yva = credit_data(1000, g, w1, w2)

    model = CreditBandNet(hidden_bias_init=0.0 if args.control else -1.5)
    trainer = pl.Trainer(
        max_epochs=15,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(log_dir, name="csv", version=0),
        callbacks=[LearningRateMonitor()],
        log_every_n_steps=20,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=500))

    model.eval()
    with torch.no_grad():
        lv, acts = model(xva, return_acts=True)
        lt = model(xtr)
    dead_per_layer = [(a.max(0).values <= 0).float().mean().item() for a in acts]
    dead = sum(dead_per_layer) / len(dead_per_layer)
    chance = torch.bincount(yva, minlength=4).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": round(chance, 4),
        "dead_relu_fraction": round(dead, 4),
        "dead_per_layer": [round(d, 3) for d in dead_per_layer],
    }))


if __name__ == "__main__":
    main()
