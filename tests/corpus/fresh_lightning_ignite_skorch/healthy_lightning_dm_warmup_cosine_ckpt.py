# expect:
# allow:
# forbid: *
# evidence: 5-class ring-sector data (radius band x half-plane, label noise at band edges) + 6 noise dims; AdamW 3e-3, 30-step warm-up then cosine, clip 1.0, val twice per epoch, 8 epochs -> best-checkpoint val_acc 0.929, val_loss 0.359 (chance 0.20), train_loss 0.385; val_loss falls to its minimum at the last check
# native-log: ring/version_0/metrics.csv
# log-expect:
# log-allow:
"""Ring-sector classifier: LightningDataModule, warm-up + cosine schedule stepped per batch,
validation twice an epoch, EarlyStopping on val_loss and ModelCheckpoint keeping the best."""
import json
import math
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping, LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(7, verbose=False)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ring_")


class RingData(L.LightningDataModule):
    """2-D points; label = which of 5 (radius band, half-plane) cells they fall in, plus 6 noise dims."""

    def __init__(self, n_train=3000, n_val=800, batch_size=64):
        super().__init__()
        self.n_train, self.n_val, self.batch_size = n_train, n_val, batch_size

    @staticmethod
    def _sample(n, gen):
        r = torch.rand(n, generator=gen) * 3.0
        theta = torch.rand(n, generator=gen) * 2 * math.pi
        pts = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1)
        band = (r // 1.0).clamp(max=2).long()             # 0, 1, 2
        upper = (theta < math.pi).long()
        y = torch.where(band == 0, torch.zeros_like(band), 1 + (band - 1) * 2 + upper)  # 0..4
        # 5% label noise near the boundaries is what keeps Bayes acc below 1
        near = (r - r.round()).abs() < 0.04
        y = torch.where(near & (torch.rand(n, generator=gen) < 0.5), torch.randint(0, 5, (n,), generator=gen), y)
        noise = torch.randn(n, 6, generator=gen) * 0.5
        return torch.cat([pts + 0.05 * torch.randn(n, 2, generator=gen), noise], 1), y

    def setup(self, stage=None):
        gen = torch.Generator().manual_seed(123)
        x, y = self._sample(self.n_train + self.n_val, gen)
        self.train_ds = TensorDataset(x[: self.n_train], y[: self.n_train])
        self.val_ds = TensorDataset(x[self.n_train:], y[self.n_train:])

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=400)


class RingNet(L.LightningModule):
    def __init__(self, lr=3e-3, weight_decay=1e-2, warmup_steps=30):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(nn.Linear(8, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 5))

    def forward(self, x):
        return self.body(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        acc = (logits.argmax(1) == y).float().mean()
        self.log("train_loss", loss, on_step=True, on_epoch=True, prog_bar=True)
        self.log("train_acc", acc, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True, prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True, prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        total = self.trainer.estimated_stepping_batches
        warm = self.hparams.warmup_steps

        def lr_lambda(step):
            if step < warm:
                return (step + 1) / warm
            progress = (step - warm) / max(1, total - warm)
            return 0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step", "frequency": 1}}


def main():
    dm = RingData()
    model = RingNet()
    ckpt = ModelCheckpoint(dirpath=os.path.join(LOG_DIR, "ckpt"), monitor="val_loss", mode="min", save_top_k=1)
    trainer = L.Trainer(
        max_epochs=8,
        val_check_interval=0.5,
        gradient_clip_val=1.0,
        callbacks=[ckpt, EarlyStopping(monitor="val_loss", patience=4, mode="min"), LearningRateMonitor("step")],
        logger=CSVLogger(LOG_DIR, name="ring", version=0),
        log_every_n_steps=5,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    best = RingNet.load_from_checkpoint(ckpt.best_model_path)
    best.eval()
    dm.setup()
    xv, yv = dm.val_ds.tensors
    xt, yt = dm.train_ds.tensors
    with torch.no_grad():
        lv, lt = best(xv), best(xt)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yv).item(), 4),
        "val_acc": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, yt).item(), 4),
        "train_acc": round((lt.argmax(1) == yt).float().mean().item(), 4),
        "chance_acc": 0.2,
        "epochs_run": trainer.current_epoch,
    }))


if __name__ == "__main__":
    main()
