# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, high_bias, dead_units
# forbid: *
# evidence: planted (SGD nesterov lr=0.3): train loss dips to ~0.71, spikes to 1.75 and then sits at ln3=1.10, val_acc 0.348 (chance 0.33); control (lr=0.05): val_acc 0.995, val_loss 0.009
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias
"""Lightning: SGD with Nesterov momentum 0.9 at lr=0.3 (copied from a large-batch ResNet recipe)
for a small MLP on 3-class spiral-ish data with batch 32. --control: lr=0.05."""
import os
import sys
import json
import math
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
pl.seed_everything(4, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="lrhi_")
LR = 0.05 if "--control" in sys.argv else 0.3


def spirals(n, gen, classes=3):
    y = torch.randint(0, classes, (n,), generator=gen)
    t = torch.rand(n, generator=gen) * 3.0 + 0.3
    ang = t * 2.2 + y.float() * (2 * math.pi / classes)
    x = torch.stack([t * torch.cos(ang), t * torch.sin(ang)], 1)
    x = x + 0.12 * torch.randn(x.shape, generator=gen)
    return x / 2.0, y


class SpiralNet(pl.LightningModule):
    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(2, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                 nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, i):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9, nesterov=True)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=8, gamma=0.5)
        return [opt], [sched]


def main():
    gen = torch.Generator().manual_seed(9)
    Xtr, Ytr = spirals(2400, gen)
    Xva, Yva = spirals(600, gen)
    trainer = pl.Trainer(
        max_epochs=12, accelerator="cpu", devices=1,
        logger=CSVLogger(LOG_DIR, name="csv", version=0),
        callbacks=[LearningRateMonitor(logging_interval="epoch")],
        log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
    )
    model = SpiralNet(LR)
    trainer.fit(model, DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True),
                DataLoader(TensorDataset(Xva, Yva), batch_size=600))
    model.eval()
    with torch.no_grad():
        lv, lt = model(Xva), model(Xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, Yva).item(), 4),
        "val_acc": round((lv.argmax(1) == Yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, Ytr).item(), 4),
        "lr": LR, "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
