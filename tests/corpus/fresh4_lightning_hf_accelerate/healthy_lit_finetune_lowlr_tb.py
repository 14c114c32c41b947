"""Two-stage Lightning run: pre-train a small CNN on a large "source" set of
texture images (8 texture classes), then fine-tune it on a small "target" set
(4 new classes built from the same textures at different scales) with the
backbone at a 10x lower learning rate than the new head, as one does.
Both stages log to one TensorBoardLogger (tb/ in $CORPUS_LOG_DIR)."""
# expect:
# allow:
# forbid: *
# evidence: fine-tuned target val_acc 1.00 / val_loss 0.053 with only 320 target images (chance 0.25); source stage val_acc 0.998
# native-log: tb
# log-expect:
# log-allow:
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning.pytorch as pl
from lightning.pytorch.loggers import TensorBoardLogger
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
S = 16


def texture(kind, rng, scale=1.0):
    yy, xx = np.mgrid[:S, :S].astype(np.float32)
    ph = rng.uniform(0, 2 * np.pi)
    f = (0.5 + 0.25 * (kind % 4)) * scale
    if kind < 4:
        img = np.sin(f * xx + ph)
    else:
        img = np.sin(f * (xx + yy) / 1.4 + ph)
    return img + rng.normal(0, 0.6, (S, S)).astype(np.float32)


def make(n, classes, rng, scale=1.0):
    y = rng.integers(0, len(classes), n)
    x = np.stack([texture(classes[k], rng, scale) for k in y])[:, None].astype(np.float32)
    return torch.tensor(x), torch.tensor(y)


class Loaders(pl.LightningDataModule):
    def __init__(self, tr, va, bs):
        super().__init__()
        self.tr, self.va, self.bs = tr, va, bs

    def train_dataloader(self):
        return DataLoader(TensorDataset(*self.tr), batch_size=self.bs, shuffle=True)

    def val_dataloader(self):
        return DataLoader(TensorDataset(*self.va), batch_size=400)


class Classifier(pl.LightningModule):
    def __init__(self, n_classes, backbone=None, lr=2e-3, backbone_lr=None, tag="src"):
        super().__init__()
        self.backbone = backbone or nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, n_classes)
        self.lr, self.backbone_lr, self.tag = lr, backbone_lr or lr, tag

    def forward(self, x):
        return self.head(self.backbone(x))

    def training_step(self, b, i):
        loss = F.cross_entropy(self(b[0]), b[1])
        self.log(f"{self.tag}/train_loss", loss)
        return loss

    def validation_step(self, b, i):
        out = self(b[0])
        self.log(f"{self.tag}/val_loss", F.cross_entropy(out, b[1]))
        self.log(f"{self.tag}/val_acc", (out.argmax(1) == b[1]).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam([{"params": self.backbone.parameters(), "lr": self.backbone_lr},
                                 {"params": self.head.parameters(), "lr": self.lr}])


def trainer(logger, epochs):
    return pl.Trainer(accelerator="cpu", devices=1, max_epochs=epochs, logger=logger, enable_progress_bar=False,
                      enable_model_summary=False, enable_checkpointing=False, log_every_n_steps=10)


if __name__ == "__main__":
    pl.seed_everything(10)
    rng = np.random.default_rng(10)
    logger = TensorBoardLogger(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), name="tb", version="")
    src = Classifier(8, tag="source")
    src_dm = Loaders(make(1600, list(range(8)), rng), make(400, list(range(8)), rng), 64)
    t1 = trainer(logger, 5)
    t1.fit(src, src_dm)
    src_acc = float(t1.callback_metrics["source/val_acc"])
    # target task: 4 classes, textures 1, 3, 5, 7 at a slightly larger scale, few labels
    tgt_classes = [1, 3, 5, 7]
    tgt = Classifier(4, backbone=src.backbone, lr=3e-3, backbone_lr=3e-4, tag="target")
    tgt_dm = Loaders(make(320, tgt_classes, rng, 1.15), make(400, tgt_classes, rng, 1.15), 16)
    t2 = trainer(logger, 8)
    t2.fit(tgt, tgt_dm)
    train_loss = float(t2.callback_metrics["target/train_loss"])
    res = t2.validate(tgt, tgt_dm, verbose=False)[0]
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(res["target/val_loss"], 4),
                                         "val_acc": round(res["target/val_acc"], 4), "train_loss": round(train_loss, 4),
                                         "source_val_acc": round(src_acc, 4), "chance_acc": 0.25}))
