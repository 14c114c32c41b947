# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted SGD lr=1e-6: val_loss 1.6589 -> 1.6580 over 6 epochs, val_acc 0.216 (chance 0.20); control lr=0.02: val_loss 0.026, val_acc 0.994
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""Tabular 5-class problem with a LightningDataModule; SGD with a learning rate of 1e-6."""
import json
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split

import lightning as L
from lightning.pytorch.callbacks import LearningRateMonitor
from lightning.pytorch.loggers import CSVLogger

CONTROL = "--control" in sys.argv
LR = 0.02 if CONTROL else 1e-6

torch.set_num_threads(1)
L.seed_everything(3, verbose=False)


class TabularData(L.LightningDataModule):
    def __init__(self, n=2500, dim=12, classes=5, batch_size=128):
        super().__init__()
        self.n, self.dim, self.classes, self.batch_size = n, dim, classes, batch_size

    def setup(self, stage=None):
        g = torch.Generator().manual_seed(11)
        proto = torch.randn(self.classes, self.dim, generator=g) * 1.6
        y = torch.randint(0, self.classes, (self.n,), generator=g)
        x = proto[y] + torch.randn(self.n, self.dim, generator=g)
        full = TensorDataset(x, y)
        self.train_set, self.val_set = random_split(full, [2000, self.n - 2000],
                                                    generator=torch.Generator().manual_seed(0))

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=500)


class MLP(L.LightningModule):
    def __init__(self, dim=12, classes=5, lr=0.05):
        super().__init__()
        self.save_hyperparameters()
        self.fc1 = nn.Linear(dim, 96)
        self.fc2 = nn.Linear(96, 96)
        self.out = nn.Linear(96, classes)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y), on_epoch=True)
        self.log("val_acc", (logits.argmax(1) == y).float().mean(), on_epoch=True)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr, momentum=0.9)


dm = TabularData()
model = MLP(lr=LR)
save_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
trainer = L.Trainer(
    max_epochs=6,
    logger=CSVLogger(save_dir, version=0),
    callbacks=[LearningRateMonitor(logging_interval="epoch")],
    log_every_n_steps=4,
    enable_progress_bar=False,
    enable_model_summary=False,
    accelerator="cpu",
    deterministic=True,
    enable_checkpointing=False,
)
trainer.fit(model, datamodule=dm)

model.eval()
xs, ys = map(torch.stack, zip(*[dm.val_set[i] for i in range(len(dm.val_set))]))
xt, yt = map(torch.stack, zip(*[dm.train_set[i] for i in range(len(dm.train_set))]))
with torch.no_grad():
    logits = model(xs)
    res = dict(val_loss=F.cross_entropy(logits, ys).item(),
               val_acc=(logits.argmax(1) == ys).float().mean().item(),
               train_loss=F.cross_entropy(model(xt), yt).item(),
               chance_acc=0.2, lr=LR)
print("CORPUS_METRIC", json.dumps({k: round(v, 6) for k, v in res.items()}))
