# expect:
# allow:
# forbid: *
# evidence: val_acc 1.0, val_loss 0.003 (chance 0.33); converged by epoch ~15, then 95 more epochs with val_loss flat at its best while train loss -> 0.003
# native-log: moons/version_0/metrics.csv
# log-expect:
# log-allow:
"""Noise-free 'interleaved spirals' (3 arms) embedded in 12 dims, SGD+momentum with weight decay,
trained for a fixed 110 epochs long after it has converged -- the schedule was sized for a
bigger dataset and nobody shortened it. The train loss goes to ~0; validation stays at its best
(labels are deterministic, so there is nothing to memorise).
"""
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

import pytorch_lightning as pl
from pytorch_lightning.callbacks import LearningRateMonitor
from pytorch_lightning.loggers import CSVLogger

warnings.filterwarnings("ignore")


def spirals(n, g, embed):
    arm = torch.randint(0, 3, (n,), generator=g)
    r = torch.rand(n, generator=g) * 0.9 + 0.1
    theta = arm.float() * (2 * math.pi / 3) + r * 5.0
    pts = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1)
    x = torch.tanh(pts @ embed)  # 12 smooth nonlinear views of the 2-D point
    return x, arm


class SpiralNet(pl.LightningModule):
    def __init__(self, lr=0.05, momentum=0.9, weight_decay=5e-4, width=64):
        super().__init__()
        self.save_hyperparameters()
        self.mlp = nn.Sequential(
            nn.Linear(12, width), nn.ReLU(),
            nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, 3),
        )

    def forward(self, x):
        return self.mlp(x)

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log_dict({"loss": loss, "acc": (logits.argmax(1) == y).float().mean()},
                      on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log_dict({"val_loss": F.cross_entropy(logits, y),
                       "val_acc": (logits.argmax(1) == y).float().mean()})

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr,
                              momentum=self.hparams.momentum, weight_decay=self.hparams.weight_decay)
        return opt


def main():
    torch.set_num_threads(1)
    pl.seed_everything(5, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="longrun_")

    g = torch.Generator().manual_seed(5)
    embed = 2.0 * torch.randn(2, 12, generator=g)
    xtr, ytr = spirals(480, g, embed)
    xva, yva = spirals(600, g, embed)

    trainer = pl.Trainer(
        max_epochs=110,
        check_val_every_n_epoch=5,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(log_dir, name="moons", version=0),
        callbacks=[LearningRateMonitor()],
        log_every_n_steps=15,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    model = SpiralNet()
    trainer.fit(model,
                DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=600))

    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
