# expect:
# allow:
# forbid: *
# evidence: early-stopped after 16 epochs at val_acc 0.948 (chance 0.2), val_loss 0.29; train loss floors at ~0.59 only because of label_smoothing=0.1
# native-log: shapes_cnn/version_0/metrics.csv
# log-expect:
# log-allow:
"""Tiny CNN recognising 5 glyphs (bars, diagonal, cross, box) drawn at random positions in
noisy 16x16 images. Label smoothing 0.1 (so the train loss floors well above 0), dropout,
Adam + ReduceLROnPlateau, and EarlyStopping on val_acc that ends the run once it has plateaued.
"""
import json
import os
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")

SIZE = 16


def glyph(kind):
    m = torch.zeros(6, 6)
    if kind == 0:
        m[2:4, :] = 1
    elif kind == 1:
        m[:, 2:4] = 1
    elif kind == 2:
        m[torch.arange(6), torch.arange(6)] = 1
    elif kind == 3:
        m[2:4, :] = 1
        m[:, 2:4] = 1
    else:
        m[0, :] = m[-1, :] = m[:, 0] = m[:, -1] = 1
    return m


GLYPHS = [glyph(k) for k in range(5)]


def render(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    x = 0.45 * torch.randn(n, 1, SIZE, SIZE, generator=g)
    pos = torch.randint(0, SIZE - 6, (n, 2), generator=g)
    for i in range(n):
        r, c = pos[i].tolist()
        x[i, 0, r:r + 6, c:c + 6] += GLYPHS[y[i]]
    return x, y


class GlyphCNN(L.LightningModule):
    def __init__(self, lr=2e-3, smoothing=0.1, p_drop=0.3):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(p_drop), nn.Linear(24 * 4 * 4, 5))

    def forward(self, x):
        return self.classifier(self.features(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y, label_smoothing=self.hparams.smoothing)
        self.log_dict({"train_loss": loss, "train_acc": (logits.argmax(1) == y).float().mean()},
                      on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log_dict({"val_loss": F.cross_entropy(logits, y),
                       "val_acc": (logits.argmax(1) == y).float().mean()})

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.5, patience=1)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_acc"}}


def main():
    torch.set_num_threads(1)
    L.seed_everything(31, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="glyph_")

    g = torch.Generator().manual_seed(31)
    xtr, ytr = render(1500, g)
    xva, yva = render(500, g)

    trainer = L.Trainer(
        max_epochs=25,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(log_dir, name="shapes_cnn", version=0),
        callbacks=[EarlyStopping(monitor="val_acc", mode="max", patience=3, min_delta=0.002),
                   LearningRateMonitor(logging_interval="epoch")],
        log_every_n_steps=10,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    model = GlyphCNN()
    trainer.fit(model,
                DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True),
                DataLoader(TensorDataset(xva, yva), batch_size=250))

    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr, label_smoothing=0.1).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "chance_acc": 0.2,
        "epochs_run": trainer.current_epoch,
    }))


if __name__ == "__main__":
    main()
