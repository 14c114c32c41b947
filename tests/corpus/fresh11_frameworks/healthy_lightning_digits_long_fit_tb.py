"""Healthy look-alike: PyTorch Lightning, a long fit on sklearn digits to ~zero train loss.

An MLP with AdamW (decoupled weight decay) is trained for many epochs on the 8x8 digits. The
train loss goes to ~0 while the validation loss stays flat near its best and the val accuracy
is high: this is a finished fit, not overfitting. Logged with Lightning's TensorBoardLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.98 (chance 0.10); train_loss -> 0.012 while val_loss stays 0.08-0.12 for 30 epochs and ends at its minimum 0.083 (no upward trend)
# native-log: tb
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.set_num_threads(1)
random.seed(1); np.random.seed(1); torch.manual_seed(1)

import lightning as L
from lightning.pytorch.loggers import TensorBoardLogger
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_dig_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5  # pixel range 0..16 -> [-1, 1]
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
t = lambda a, dt=torch.float32: torch.tensor(a, dtype=dt)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t(Xtr), t(ytr, torch.long)), batch_size=64, shuffle=True)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t(Xva), t(yva, torch.long)), batch_size=512)


class DigitMLP(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 10))

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.log("train/loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        out = self.net(x)
        self.log("val/loss", F.cross_entropy(out, y))
        self.log("val/acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=1e-3, weight_decay=0.05)


model = DigitMLP()
trainer = L.Trainer(max_epochs=40, accelerator="cpu", devices=1, enable_progress_bar=False,
                    enable_model_summary=False, log_every_n_steps=5,
                    logger=TensorBoardLogger(save_dir=LOG_DIR, name="tb", version=0),
                    enable_checkpointing=False)
trainer.fit(model, train_dl, val_dl)

model.eval()
with torch.no_grad():
    ov = model.net(t(Xva)); ot = model.net(t(Xtr))
    res = {"val_loss": F.cross_entropy(ov, t(yva, torch.long)).item(),
           "val_acc": (ov.argmax(1).numpy() == yva).mean().item(),
           "train_loss": F.cross_entropy(ot, t(ytr, torch.long)).item(),
           "train_acc": (ot.argmax(1).numpy() == ytr).mean().item(), "chance_acc": 0.1}
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in res.items()}))
