# expect:
# forbid: *
# evidence: 4-frequency signal classification (chance 0.25): val_acc 0.973, val_loss falls every epoch 1.153 -> 0.162, train_loss 0.162 (no gap)
# native-log: lightning_logs/version_0/metrics.csv
# log-expect:
"""Classify noisy 1-D signals by their dominant frequency with a small Conv1d net.
Uses gradient clipping (Trainer(gradient_clip_val=1.0)) and a cosine schedule returned as a dict."""
import json
import math
import os
import tempfile

import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl
from pytorch_lightning.callbacks import LearningRateMonitor
from pytorch_lightning.loggers import CSVLogger

SEQ_LEN = 48
FREQS = (1.0, 2.5, 4.0, 6.0)


def make_signals(n, gen):
    y = torch.randint(0, len(FREQS), (n,), generator=gen)
    t = torch.linspace(0, 1, SEQ_LEN)
    f = torch.tensor(FREQS)[y] * (1 + 0.1 * torch.randn(n, generator=gen))
    phase = 2 * math.pi * torch.rand(n, generator=gen)
    x = torch.sin(2 * math.pi * f[:, None] * t[None] + phase[:, None])
    x = x + 0.6 * torch.randn(n, SEQ_LEN, generator=gen)
    return x.unsqueeze(1), y


class FreqNet(pl.LightningModule):
    def __init__(self, lr=3e-3, epochs=10):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
        )
        self.head = nn.Linear(32, len(FREQS))

    def forward(self, x):
        return self.head(self.features(x).flatten(1))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(-1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=1e-4)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=self.hparams.epochs)
        return {"optimizer": optimizer,
                "lr_scheduler": {"scheduler": scheduler, "interval": "epoch", "frequency": 1}}


def run():
    torch.set_num_threads(1)
    pl.seed_everything(1234, verbose=False)
    gen = torch.Generator().manual_seed(1234)
    x_train, y_train = make_signals(1536, gen)
    x_val, y_val = make_signals(512, gen)
    epochs = 10

    model = FreqNet(epochs=epochs)
    log_root = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
    trainer = pl.Trainer(
        max_epochs=epochs,
        gradient_clip_val=1.0,
        callbacks=[LearningRateMonitor(logging_interval="epoch")],
        logger=CSVLogger(log_root, version=0),
        log_every_n_steps=4,
        enable_progress_bar=False,
        enable_model_summary=False,
        accelerator="cpu",
        deterministic=True,
        enable_checkpointing=False,
    )
    trainer.fit(model,
                DataLoader(TensorDataset(x_train, y_train), batch_size=96, shuffle=True),
                DataLoader(TensorDataset(x_val, y_val), batch_size=256))

    model.eval()
    with torch.no_grad():
        logits = model(x_val)
        val_loss = F.cross_entropy(logits, y_val).item()
        val_acc = (logits.argmax(-1) == y_val).float().mean().item()
        train_loss = F.cross_entropy(model(x_train), y_train).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                         "train_loss": round(train_loss, 4), "chance_acc": 0.25}))


if __name__ == "__main__":
    run()
