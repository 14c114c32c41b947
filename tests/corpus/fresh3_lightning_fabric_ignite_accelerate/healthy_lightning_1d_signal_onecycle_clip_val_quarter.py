# expect:
# allow:
# forbid: *
# evidence: val_acc 0.945, val_loss 0.141 (chance 0.33)
# native-log: signals/version_0/metrics.csv
# log-expect:
# log-allow:
"""1-D signal classification: 3 classes of noisy 128-sample waveforms (sine, square, sawtooth at a
random frequency/phase/amplitude, additive noise and a random DC offset). A small Conv1d net with
BatchNorm, SGD+nesterov under OneCycleLR stepped every batch (scheduler dict, interval="step"), the
Trainer's gradient_clip_val=1.0, and validation four times per epoch (val_check_interval=0.25). The
one-cycle lr peak makes the loss briefly noisier mid-run; it recovers and converges.
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
L = 128


def waves(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    t = torch.arange(L).float() / L
    f = 2 + 6 * torch.rand(n, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    arg = 2 * math.pi * f * t + ph
    sine = torch.sin(arg)
    square = torch.sign(torch.sin(arg))
    saw = 2 * ((arg / (2 * math.pi)) % 1.0) - 1
    sig = torch.where(y[:, None] == 0, sine, torch.where(y[:, None] == 1, square, saw))
    amp = 0.5 + torch.rand(n, 1, generator=g)
    x = amp * sig + 0.3 * torch.randn(n, 1, generator=g) + 0.5 * torch.randn(n, L, generator=g)
    return x[:, None, :], y


class SignalNet(pl.LightningModule):
    def __init__(self, max_lr=0.1, total_steps=400):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(4),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.body(x).flatten(1))

    def training_step(self, batch, _):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.parameters(), lr=self.hparams.max_lr, momentum=0.9, nesterov=True,
                              weight_decay=1e-4)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.max_lr,
                                                    total_steps=self.hparams.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def main():
    torch.set_num_threads(1)
    pl.seed_everything(13, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sig_")
    g = torch.Generator().manual_seed(13)
    xtr, ytr = waves(1600, g)
    xva, yva = waves(600, g)
    epochs, bs = 8, 32
    steps = epochs * math.ceil(1600 / bs)
    model = SignalNet(total_steps=steps)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", devices=1, gradient_clip_val=1.0,
                         val_check_interval=0.25,
                         logger=CSVLogger(log_dir, name="signals", version=0),
                         callbacks=[LearningRateMonitor(logging_interval="step")],
                         log_every_n_steps=5, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, DataLoader(TensorDataset(xtr, ytr), batch_size=bs, shuffle=True),
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
