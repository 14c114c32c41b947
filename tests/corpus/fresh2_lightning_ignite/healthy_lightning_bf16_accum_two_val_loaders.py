# expect:
# allow:
# forbid: *
# evidence: val_recent acc 0.975 / loss 0.082, val_holdout acc 0.982 / loss 0.046 (chance 0.125); both val losses fall to their best at the last evaluation
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
"""8-way 'product category' classifier from 24 dense features, the way our team's Lightning
scripts look: bf16 autocast on CPU, micro-batches of 16 with accumulate_grad_batches=4, AdamW
with a per-step linear warm-up then cosine decay, and two validation loaders (this month's
data and an older hold-out from the same source) logged side by side by CSVLogger.
"""
import argparse
import json
import math
import os
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")

N_CLASSES = 8
VAL_NAMES = ("recent", "holdout")


def make_blobs(n, g, means, cov_factor):
    y = torch.randint(0, N_CLASSES, (n,), generator=g)
    z = torch.randn(n, 24, generator=g)
    x = means[y] + z @ cov_factor
    return x, y


class CategoryModel(L.LightningModule):
    def __init__(self, in_dim=24, hidden=96, lr=3e-3, weight_decay=1e-2, warmup_steps=30, total_steps=300):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(
            nn.Linear(in_dim, hidden), nn.GELU(), nn.LayerNorm(hidden),
            nn.Linear(hidden, hidden), nn.GELU(),
        )
        self.head = nn.Linear(hidden, N_CLASSES)

    def forward(self, x):
        return self.head(self.encoder(x))

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits.float(), y)
        acc = (logits.argmax(dim=1) == y).float().mean()
        self.log_dict({"train/loss": loss, "train/acc": acc}, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx, dataloader_idx=0):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits.float(), y)
        acc = (logits.argmax(dim=1) == y).float().mean()
        name = VAL_NAMES[dataloader_idx]
        self.log_dict({f"val_{name}/loss": loss, f"val_{name}/acc": acc}, add_dataloader_idx=False)

    def configure_optimizers(self):
        hp = self.hparams
        opt = torch.optim.AdamW(self.parameters(), lr=hp.lr, weight_decay=hp.weight_decay)

        def warmup_cosine(step):
            if step < hp.warmup_steps:
                return (step + 1) / hp.warmup_steps
            prog = min(1.0, (step - hp.warmup_steps) / max(1, hp.total_steps - hp.warmup_steps))
            return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * prog))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, warmup_cosine)
        return [opt], [{"scheduler": sched, "interval": "step"}]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()

    torch.set_num_threads(1)
    L.seed_everything(2024, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="bf16_accum_")

    g = torch.Generator().manual_seed(2024)
    means = 0.75 * torch.randn(N_CLASSES, 24, generator=g)
    cov_factor = torch.eye(24) + 0.3 * torch.randn(24, 24, generator=g)
    x_tr, y_tr = make_blobs(1920, g, means, cov_factor)
    x_rec, y_rec = make_blobs(600, g, means, cov_factor)
    x_old, y_old = make_blobs(600, g, means, cov_factor)

    micro_bs, accum = 16, 4
    steps_per_epoch = len(x_tr) // (micro_bs * accum)
    train_dl = DataLoader(TensorDataset(x_tr, y_tr), batch_size=micro_bs, shuffle=True, drop_last=True)
    val_dls = [DataLoader(TensorDataset(x_rec, y_rec), batch_size=300),
               DataLoader(TensorDataset(x_old, y_old), batch_size=300)]

    model = CategoryModel(total_steps=steps_per_epoch * args.epochs)
    trainer = L.Trainer(
        max_epochs=args.epochs,
        accelerator="cpu",
        devices=1,
        precision="bf16-mixed",
        accumulate_grad_batches=accum,
        gradient_clip_val=1.0,
        logger=CSVLogger(log_dir, name="csv", version=0),
        callbacks=[LearningRateMonitor(logging_interval="step")],
        log_every_n_steps=5,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    trainer.fit(model, train_dl, val_dls)

    model.eval()
    with torch.no_grad():
        out = {}
        for name, (x, y) in zip(VAL_NAMES, [(x_rec, y_rec), (x_old, y_old)]):
            lg = model(x)
            out[f"val_{name}_loss"] = round(F.cross_entropy(lg, y).item(), 4)
            out[f"val_{name}_acc"] = round((lg.argmax(1) == y).float().mean().item(), 4)
        lt = model(x_tr)
    out["val_loss"] = out["val_recent_loss"]
    out["val_acc"] = out["val_recent_acc"]
    out["train_loss"] = round(F.cross_entropy(lt, y_tr).item(), 4)
    out["chance_acc"] = round(1.0 / N_CLASSES, 4)
    print("CORPUS_METRIC " + json.dumps(out))


if __name__ == "__main__":
    main()
