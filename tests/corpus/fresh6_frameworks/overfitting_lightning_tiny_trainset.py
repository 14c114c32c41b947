# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (96 train examples): train_loss 0.0005 / train_acc 1.00 while val_loss rises 1.11 -> 2.64 over training, val_acc 0.566; control (3000 examples, same steps): val_loss 0.69 (flat), val_acc 0.808
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
"""Lightning: a wide 3-layer MLP trained for many epochs on only 96 labelled examples (20-d, 4 classes from a mostly-linear
rule, 10% label noise), no regularisation. --control gives the same model the full 3000-example training
set for the same number of optimizer steps."""
import os
import sys
import json
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
pl.seed_everything(21, verbose=False)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ovf_")
CONTROL = "--control" in sys.argv

D, C = 20, 4
g = torch.Generator().manual_seed(2)
W = torch.randn(D, C, generator=g)


def sample(n):
    x = torch.randn(n, D, generator=g)
    y = (x @ W + 0.5 * (x[:, :C] ** 2)).argmax(1)
    flip = torch.rand(n, generator=g) < 0.10
    y = torch.where(flip, torch.randint(0, C, (n,), generator=g), y)
    return x, y


Xall, Yall = sample(3000)
Xva, Yva = sample(1000)
N_TRAIN = 3000 if CONTROL else 96
Xtr, Ytr = Xall[:N_TRAIN], Yall[:N_TRAIN]


class MLP(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, C))

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, i):
        x, y = batch
        logits = self(x)
        loss = F.cross_entropy(logits, y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, batch, i):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


def main():
    train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True)
    val_dl = DataLoader(TensorDataset(Xva, Yva), batch_size=500)
    steps = 480
    trainer = pl.Trainer(
        max_steps=steps, accelerator="cpu", devices=1,
        check_val_every_n_epoch=None, val_check_interval=24,
        logger=CSVLogger(LOG_DIR, name="csv", version=0),
        log_every_n_steps=3, enable_progress_bar=False, enable_model_summary=False,
        enable_checkpointing=False,
    )
    model = MLP()
    trainer.fit(model, train_dl, val_dl)
    model.eval()
    with torch.no_grad():
        lv, lt = model(Xva), model(Xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, Yva).item(), 4),
        "val_acc": round((lv.argmax(1) == Yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, Ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == Ytr).float().mean().item(), 4),
        "n_train": N_TRAIN, "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
