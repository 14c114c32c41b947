"""Lightning: a debugging setting Trainer(limit_train_batches=3) was left on and the train loader is not shuffled,
so every epoch sees the same 96 digit images; a wide MLP memorises them while val loss climbs.
check_val_every_n_epoch=2, CSVLogger. --control removes limit_train_batches (nothing else changes)."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (96 fixed images, max_steps=150): train_loss 0.0008 / train_acc 1.00, val_loss bottoms 0.295 (epoch 13) then rises to 0.320, val_acc 0.904; control (full 1257 images, same 150 steps): val_loss 0.103, val_acc 0.970
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
warnings.filterwarnings("ignore")
for n in ("lightning", "lightning.pytorch"):
    logging.getLogger(n).setLevel(logging.ERROR)
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
import lightning.pytorch as pl
from lightning.pytorch.loggers import CSVLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.3) / 0.4
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
t = lambda a, d=torch.float32: torch.tensor(a, dtype=d)
tr = torch.utils.data.TensorDataset(t(Xtr), t(ytr, torch.long)); va = torch.utils.data.TensorDataset(t(Xva), t(yva, torch.long))


class DM(pl.LightningDataModule):
    def train_dataloader(self):
        return torch.utils.data.DataLoader(tr, batch_size=32, shuffle=False)

    def val_dataloader(self):
        return torch.utils.data.DataLoader(va, batch_size=540)


class MLP(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)

    def training_step(self, b, i):
        logits = self(b[0]); loss = F.cross_entropy(logits, b[1])
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        self.log("train_acc", (logits.argmax(1) == b[1]).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        logits = self(b[0])
        self.log("val_loss", F.cross_entropy(logits, b[1])); self.log("val_acc", (logits.argmax(1) == b[1]).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


kw = {} if CONTROL else {"limit_train_batches": 3}
model = MLP()
trainer = pl.Trainer(max_steps=150, check_val_every_n_epoch=2, accelerator="cpu", devices=1,
                     logger=CSVLogger(LOG_DIR, name="csv", version=0), enable_progress_bar=False, enable_model_summary=False,
                     enable_checkpointing=False, num_sanity_val_steps=0, log_every_n_steps=1, **kw)
trainer.fit(model, datamodule=DM())
model.eval()
with torch.no_grad():
    seen = tr.tensors if CONTROL else tuple(a[:96] for a in tr.tensors)
    lt = model(seen[0]); lv = model(va.tensors[0])
    res = {"val_loss": round(F.cross_entropy(lv, va.tensors[1]).item(), 4), "val_acc": round((lv.argmax(1) == va.tensors[1]).float().mean().item(), 4),
           "train_loss": round(F.cross_entropy(lt, seen[1]).item(), 4), "train_acc": round((lt.argmax(1) == seen[1]).float().mean().item(), 4),
           "n_train_seen": len(seen[0]), "chance_acc": 0.1}
print("CORPUS_METRIC " + json.dumps(res))
