# expect:
# allow:
# forbid: *
# evidence: teacher-net regression, clip 1.0 + accum 4 + warm-up/cosine: val_mse 0.108 vs target_var 1.05 (R2 ~0.90), train_mse 0.050; val_mse decreasing to a plateau
# native-log: reg/version_0/metrics.csv
# log-expect:
# log-allow:
"""Lightning regression on a teacher network's outputs: gradient_clip_val, accumulate_grad_batches,
validation every 50 steps (val_check_interval), linear warm-up then cosine per step, CSVLogger."""
import os
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
pl.seed_everything(3, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="reg_")

# data: y = teacher(x) + small noise
g = torch.Generator().manual_seed(7)
D = 10
teacher = nn.Sequential(nn.Linear(D, 32), nn.Tanh(), nn.Linear(32, 1))
with torch.no_grad():
    for p in teacher.parameters():
        p.copy_(torch.randn(p.shape, generator=g) * 0.8)
    X = torch.randn(3000, D, generator=g)
    Y = teacher(X) + 0.1 * torch.randn(3000, 1, generator=g)
    mu, sd = Y[:2400].mean(), Y[:2400].std()
    Y = (Y - mu) / sd
Xtr, Ytr, Xva, Yva = X[:2400], Y[:2400], X[2400:], Y[2400:]


class Regressor(pl.LightningModule):
    def __init__(self, lr=1e-2, total_steps=400, warmup=40):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(D, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, i):
        x, y = batch
        loss = F.mse_loss(self(x), y)
        self.log("train_mse", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        self.log("val_mse", F.mse_loss(self(x), y), on_epoch=True)

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        T, W = self.hparams.total_steps, self.hparams.warmup

        def f(step):
            if step < W:
                return (step + 1) / W
            return 0.5 * (1 + math.cos(math.pi * min(1.0, (step - W) / max(1, T - W))))

        sched = torch.optim.lr_scheduler.LambdaLR(opt, f)
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}


def main():
    train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=16, shuffle=True)  # 150 batches / epoch
    val_dl = DataLoader(TensorDataset(Xva, Yva), batch_size=300)
    epochs, accum = 16, 4
    total = epochs * math.ceil(len(train_dl) / accum)
    model = Regressor(total_steps=total)
    trainer = pl.Trainer(
        max_epochs=epochs, accelerator="cpu", devices=1,
        gradient_clip_val=1.0, accumulate_grad_batches=accum,
        val_check_interval=50,
        logger=CSVLogger(LOG_DIR, name="reg", version=0),
        callbacks=[LearningRateMonitor(logging_interval="step")],
        log_every_n_steps=5, enable_progress_bar=False, enable_model_summary=False,
    )
    trainer.fit(model, train_dl, val_dl)
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(Xva), Yva).item()
        train_mse = F.mse_loss(model(Xtr), Ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                         "target_var": round(Yva.var().item(), 4)}))


if __name__ == "__main__":
    main()
