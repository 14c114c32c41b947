# expect:
# allow:
# forbid: *
# evidence: 4-class synthetic shapes CNN + BN + OneCycle: val_acc 0.983 (chance 0.25), val_loss 0.047, train_acc 0.997
# native-log: tb/version_0
# log-expect:
# log-allow:
"""Lightning CNN on synthetic 16x16 images (filled square / ring / cross / horizontal bar, random
position, size and noise), BatchNorm, OneCycleLR, TensorBoardLogger, ModelCheckpoint."""
import os
import json
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl
from lightning.pytorch.callbacks import LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import TensorBoardLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
pl.seed_everything(11, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="shapes_")
S = 16


def make_shapes(n, gen):
    xs = torch.zeros(n, 1, S, S)
    ys = torch.randint(0, 4, (n,), generator=gen)
    yy, xx = torch.meshgrid(torch.arange(S), torch.arange(S), indexing="ij")
    for i in range(n):
        r = int(torch.randint(3, 6, (1,), generator=gen))
        cy, cx = [int(v) for v in torch.randint(r, S - r, (2,), generator=gen)]
        k = int(ys[i])
        if k == 0:    # filled square
            m = ((yy - cy).abs() <= r) & ((xx - cx).abs() <= r)
        elif k == 1:  # ring
            d = ((yy - cy) ** 2 + (xx - cx) ** 2).float().sqrt()
            m = (d <= r) & (d >= r - 1.2)
        elif k == 2:  # cross
            m = (((yy - cy).abs() <= 0) & ((xx - cx).abs() <= r)) | (((xx - cx).abs() <= 0) & ((yy - cy).abs() <= r))
        else:         # horizontal bar
            m = ((yy - cy).abs() <= 1) & ((xx - cx).abs() <= r)
        xs[i, 0] = m.float()
    xs = xs + 0.3 * torch.randn(xs.shape, generator=gen)
    return (xs - 0.2) / 0.45, ys


class ShapesCNN(pl.LightningModule):
    def __init__(self, lr=5e-3, total_steps=300):
        super().__init__()
        self.save_hyperparameters()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))

    def training_step(self, batch, i):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train/loss", loss, on_step=True, on_epoch=True)
        self.log("train/acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        logits = self(x)
        self.log("val/loss", F.cross_entropy(logits, y))
        self.log("val/acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=self.hparams.lr, total_steps=self.hparams.total_steps)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def main():
    gen = torch.Generator().manual_seed(5)
    Xtr, Ytr = make_shapes(1000, gen)
    Xva, Yva = make_shapes(300, gen)
    train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True)
    val_dl = DataLoader(TensorDataset(Xva, Yva), batch_size=300)
    epochs = 5
    model = ShapesCNN(total_steps=epochs * len(train_dl))
    trainer = pl.Trainer(
        max_epochs=epochs, accelerator="cpu", devices=1,
        logger=TensorBoardLogger(LOG_DIR, name="tb", version=0),
        callbacks=[LearningRateMonitor(logging_interval="step"),
                   ModelCheckpoint(dirpath=tempfile.mkdtemp(prefix="ck_"), monitor="val/acc", mode="max")],
        log_every_n_steps=10, enable_progress_bar=False, enable_model_summary=False,
    )
    trainer.fit(model, train_dl, val_dl)
    model.eval()
    with torch.no_grad():
        lv = model(Xva)
        lt = model(Xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, Yva).item(), 4),
        "val_acc": round((lv.argmax(1) == Yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, Ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == Ytr).float().mean().item(), 4),
        "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
