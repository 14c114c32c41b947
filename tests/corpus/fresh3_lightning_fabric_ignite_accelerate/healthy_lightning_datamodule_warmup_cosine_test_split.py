# expect:
# allow:
# forbid: *
# evidence: test_acc 0.858, test_loss 0.456 on 1000 held-out rows (chance 0.25; 4% label noise); val_acc 0.874, train_loss 0.334
# native-log: tabular/version_0/metrics.csv
# log-expect:
# log-allow:
"""Tabular 4-class problem (labels from a random 'teacher' MLP on 24 standardised features, 4% label
noise) trained the textbook Lightning way: a LightningDataModule with train/val/test splits,
AdamW + linear warm-up then cosine decay stepped per optimizer step (scheduler dict with
interval="step"), LearningRateMonitor, and a final trainer.test(). The lr curve rises then decays to
~0, which is intended. Held-out test accuracy is the metric.
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
D, K = 24, 4


class TeacherData(pl.LightningDataModule):
    def __init__(self, n_train=3000, n_val=500, n_test=1000, batch_size=64):
        super().__init__()
        self.sizes = (n_train, n_val, n_test)
        self.batch_size = batch_size

    def setup(self, stage=None):
        g = torch.Generator().manual_seed(11)
        w1 = torch.randn(D, 32, generator=g) / math.sqrt(D)
        w2 = torch.randn(32, K, generator=g) / math.sqrt(32) * 3
        n = sum(self.sizes)
        x = torch.randn(n, D, generator=g)
        y = (torch.tanh(x @ w1) @ w2).argmax(1)
        flip = torch.rand(n, generator=g) < 0.04
        y[flip] = torch.randint(0, K, (int(flip.sum()),), generator=g)
        a, b, _ = self.sizes
        self.train_ds = TensorDataset(x[:a], y[:a])
        self.val_ds = TensorDataset(x[a:a + b], y[a:a + b])
        self.test_ds = TensorDataset(x[a + b:], y[a + b:])

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=500)

    def test_dataloader(self):
        return DataLoader(self.test_ds, batch_size=1000)


class Classifier(pl.LightningModule):
    def __init__(self, lr=3e-3, warmup=40, total_steps=600):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(D, 128), nn.GELU(), nn.Linear(128, 64), nn.GELU(),
                                 nn.Linear(64, K))

    def forward(self, x):
        return self.net(x)

    def _shared(self, batch, prefix):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log(f"{prefix}_loss", loss, on_step=False, on_epoch=True)
        self.log(f"{prefix}_acc", acc, on_step=False, on_epoch=True)
        return loss

    def training_step(self, batch, _):
        return self._shared(batch, "train")

    def validation_step(self, batch, _):
        self._shared(batch, "val")

    def test_step(self, batch, _):
        self._shared(batch, "test")

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.01)
        warm, total = self.hparams.warmup, self.hparams.total_steps

        def lam(step):
            if step < warm:
                return (step + 1) / warm
            p = min(1.0, (step - warm) / max(1, total - warm))
            return 0.5 * (1 + math.cos(math.pi * p))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, lam)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step", "frequency": 1}}


def main():
    torch.set_num_threads(1)
    pl.seed_everything(3, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="dm_cos_")
    dm = TeacherData()
    epochs = 12
    steps = epochs * math.ceil(3000 / 64)
    model = Classifier(total_steps=steps)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", devices=1,
                         logger=CSVLogger(log_dir, name="tabular", version=0),
                         callbacks=[LearningRateMonitor(logging_interval="step")],
                         log_every_n_steps=8, enable_progress_bar=False,
                         enable_model_summary=False, enable_checkpointing=False)
    trainer.fit(model, datamodule=dm)
    fit_metrics = {k: float(v) for k, v in trainer.callback_metrics.items()}
    res = trainer.test(model, datamodule=dm, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(float(res["test_loss"]), 4),
        "test_acc": round(float(res["test_acc"]), 4),
        "val_acc": round(fit_metrics["val_acc"], 4),
        "train_loss": round(fit_metrics["train_loss"], 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
