# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (96 rows): train_loss 0.0001 / train_acc 1.0, val_loss climbs 0.82 -> 1.57 from step 30 to 600, val_acc 0.686; control (3000 rows, same 600 steps): val_loss 0.47 (min 0.42), val_acc 0.869
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
"""3-class classifier on 30 features (6 informative, 5% label noise), Lightning, step-based eval.

Planted: only 96 labelled rows for a 30-256-256-3 MLP trained for 600 optimizer steps, so it
memorises the noise. --control trains the same model, same optimizer and the same number of
steps on 3000 rows from the same distribution (validation set unchanged).
"""
import argparse
import json
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

N_FEAT, N_INF, N_CLS = 30, 6, 3


def sample(n, g, w_true):
    x = torch.randn(n, N_FEAT, generator=g)
    score = x[:, :N_INF] @ w_true + 0.3 * x[:, :N_INF].pow(2) @ w_true.abs()
    y = score.argmax(1)
    flip = torch.rand(n, generator=g) < 0.05
    y[flip] = torch.randint(0, N_CLS, (int(flip.sum()),), generator=g)
    return x, y


class WideMLP(L.LightningModule):
    def __init__(self, lr=1e-3, width=256):
        super().__init__()
        self.save_hyperparameters()
        self.body = nn.Sequential(
            nn.Linear(N_FEAT, width), nn.ReLU(),
            nn.Linear(width, width), nn.ReLU(),
            nn.Linear(width, N_CLS),
        )

    def forward(self, x):
        return self.body(x)

    def _shared(self, batch):
        x, y = batch
        out = self(x)
        return F.cross_entropy(out, y), (out.argmax(-1) == y).float().mean()

    def training_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log_dict({"train_loss": loss, "train_acc": acc}, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, batch_idx):
        loss, acc = self._shared(batch)
        self.log_dict({"val_loss": loss, "val_acc": acc})

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--control", action="store_true")
    args = p.parse_args()

    torch.set_num_threads(1)
    L.seed_everything(11, verbose=False)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="overfit_")

    g = torch.Generator().manual_seed(11)
    w_true = torch.randn(N_INF, N_CLS, generator=g)
    x_val, y_val = sample(1500, g, w_true)
    n_train = 3000 if args.control else 96
    x_tr, y_tr = sample(n_train, g, w_true)

    train_dl = DataLoader(TensorDataset(x_tr, y_tr), batch_size=32, shuffle=True)
    val_dl = DataLoader(TensorDataset(x_val, y_val), batch_size=750)

    model = WideMLP()
    trainer = L.Trainer(
        max_steps=600,
        max_epochs=-1,
        val_check_interval=30,
        check_val_every_n_epoch=None,
        accelerator="cpu",
        devices=1,
        logger=CSVLogger(log_dir, name="csv", version=0),
        callbacks=[LearningRateMonitor()],
        log_every_n_steps=10,
        enable_progress_bar=False,
        enable_model_summary=False,
        enable_checkpointing=False,
    )
    trainer.fit(model, train_dl, val_dl)

    model.eval()
    with torch.no_grad():
        lv = model(x_val)
        lt = model(x_tr)
    res = {
        "val_loss": round(F.cross_entropy(lv, y_val).item(), 4),
        "val_acc": round((lv.argmax(1) == y_val).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, y_tr).item(), 4),
        "train_acc": round((lt.argmax(1) == y_tr).float().mean().item(), 4),
        "chance_acc": round(torch.bincount(y_val).max().item() / len(y_val), 4),
        "n_train": n_train,
    }
    print("CORPUS_METRIC " + json.dumps(res))


if __name__ == "__main__":
    main()
