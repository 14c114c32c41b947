# expect: class_imbalance
# allow:
# forbid: *
# evidence: balanced audit set: planted (1.4% severe in training) balanced_acc 0.505, severe recall 0.03; control (balanced training mix, same size) balanced_acc 0.697, severe recall 0.81 (chance 0.33). Planted val_acc on the production mix looks fine (0.82)
# control: --control
# native-log: defects/version_0/metrics.csv
# log-expect:
# log-allow: class_imbalance
"""Defect-grade classifier (ok / minor / severe) from 6 sensor features.

Training data come from production logs, where severe defects are rare (~1.5%). The held-out
audit set is balanced, and the metric that matters is balanced accuracy / severe-defect recall.
--control draws the training set with balanced grades (same size, same features)."""
import argparse
import json
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import EarlyStopping
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="defects_")
GRADES = 3
PRODUCTION_MIX = [0.66, 0.325, 0.015]
BALANCED_MIX = [1 / 3, 1 / 3, 1 / 3]


def sample(n, mix, seed):
    g = torch.Generator().manual_seed(seed)
    centres = torch.tensor([[0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
                            [1.2, 0.8, 0.0, 0.5, 0.0, 0.0],
                            [2.0, 1.6, 0.9, 0.0, 0.6, 0.0]])
    y = torch.multinomial(torch.tensor(mix), n, replacement=True, generator=g)
    x = centres[y] + torch.randn(n, 6, generator=g)
    return x, y


class DefectData(L.LightningDataModule):
    def __init__(self, mix, batch_size=64):
        super().__init__()
        self.mix, self.batch_size = mix, batch_size

    def setup(self, stage=None):
        x, y = sample(3500, self.mix, seed=3)
        self.train_ds = TensorDataset(x[:3000], y[:3000])
        self.val_ds = TensorDataset(x[3000:], y[3000:])     # same mix as training, as in real life
        self.audit = sample(1500, BALANCED_MIX, seed=99)

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=500)


class GradeNet(L.LightningModule):
    def __init__(self, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, GRADES))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), prog_bar=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "monitor": "val_loss", "interval": "epoch"}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="balanced training mix")
    args = ap.parse_args()
    L.seed_everything(5, verbose=False)

    dm = DefectData(BALANCED_MIX if args.control else PRODUCTION_MIX)
    model = GradeNet()
    trainer = L.Trainer(
        max_epochs=8,
        callbacks=[EarlyStopping(monitor="val_loss", patience=3)],
        logger=CSVLogger(LOG_DIR, name="defects", version=0),
        log_every_n_steps=10,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        accelerator="cpu",
        devices=1,
    )
    trainer.fit(model, datamodule=dm)

    model.eval()
    xa, ya = dm.audit
    xv, yv = dm.val_ds.tensors
    with torch.no_grad():
        pa = model(xa).argmax(1)
        lv = model(xv)
    recall = [((pa == k) & (ya == k)).sum().item() / max(1, (ya == k).sum().item()) for k in range(GRADES)]
    print("CORPUS_METRIC " + json.dumps({
        "audit_balanced_acc": round(sum(recall) / GRADES, 4),
        "audit_recall_severe": round(recall[2], 4),
        "audit_recall_per_grade": [round(r, 3) for r in recall],
        "val_acc_same_mix": round((lv.argmax(1) == yv).float().mean().item(), 4),
        "val_loss_same_mix": round(F.cross_entropy(lv, yv).item(), 4),
        "train_frac_severe": round((dm.train_ds.tensors[1] == 2).float().mean().item(), 4),
        "chance_acc": round(1 / GRADES, 4),
    }))


if __name__ == "__main__":
    main()
