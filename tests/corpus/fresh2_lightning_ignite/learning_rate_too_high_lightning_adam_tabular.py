# expect: learning_rate_too_high
# allow: non_convergence, high_bias, dead_units, exploding_gradients, non_finite
# forbid: *
# evidence: planted (Adam lr=0.3): epoch-0 train_loss 11.7, final val_acc 0.235 = majority rate 0.235, val_loss 1.60; control (lr=1e-3): val_acc 0.759, val_loss 0.62
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow: learning_rate_too_high, non_convergence, high_bias
"""Tabular 5-class classifier in plain PyTorch Lightning.

Someone copied `lr=0.3` from an SGD recipe into an Adam config. --control puts Adam back at 1e-3.
Everything else (data, model, epochs, batch size, seed) is identical.
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

import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")


def make_tabular(n, gen, proj, centers):
    # 5 classes; labels come from a fixed nonlinear teacher on 16 features
    x = torch.randn(n, 16, generator=gen)
    logits = torch.tanh(x @ proj) @ centers
    y = logits.argmax(dim=1)
    return x, y


class TabularNet(L.LightningModule):
    def __init__(self, lr: float, hidden: int = 128, n_classes: int = 5):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(
            nn.Linear(16, hidden), nn.ReLU(),
            nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log_dict({"train_loss": loss, "train_acc": acc}, on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log_dict({"val_loss": loss, "val_acc": acc}, on_epoch=True, prog_bar=False)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "epoch"}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(1)
    L.seed_everything(7, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="lr_high_")

    g = torch.Generator().manual_seed(7)
    proj = torch.randn(16, 12, generator=g)
    centers = torch.randn(12, 5, generator=g)
    xtr, ytr = make_tabular(3000, g, proj, centers)
    xva, yva = make_tabular(1000, g, proj, centers)

    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=500)

    lr = 1e-3 if args.control else 0.3
    model = TabularNet(lr=lr)
    trainer = L.Trainer(
        max_epochs=20,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(log_dir, name="csv", version=0),
        callbacks=[LearningRateMonitor(logging_interval="epoch")],
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
        log_every_n_steps=10,
    )
    trainer.fit(model, train_dl, val_dl)

    model.eval()
    with torch.no_grad():
        val_logits = model(xva)
        tr_logits = model(xtr)
    val_loss = F.cross_entropy(val_logits, yva).item()
    val_acc = (val_logits.argmax(1) == yva).float().mean().item()
    train_loss = F.cross_entropy(tr_logits, ytr).item()
    chance = torch.bincount(yva, minlength=5).max().item() / len(yva)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
        "train_loss": round(train_loss, 4), "chance_acc": round(chance, 4), "lr": lr,
    }))


if __name__ == "__main__":
    main()
