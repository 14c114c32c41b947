"""Planted data_mismatch: PyTorch Lightning digit classifier whose test split comes from a different scanner.

sklearn digits, split into train / val / test. Train and val are ordinary random splits. The
planted cause: the test images were "scanned on the new device" -- shifted one pixel right and
one down, with lower contrast and a raised background level -- so the test distribution differs
from train/val. The model itself trains normally (val accuracy is high). trainer.test() logs the
test metrics to the same CSVLogger metrics.csv. --control draws the test split like the others.
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: val_acc 0.969, val_loss 0.091 (train 0.037) but test_acc 0.357, test_loss 2.84; control (test split drawn like val): test_acc 0.983, test_loss 0.095
# control: --control
# native-log: metrics.csv
# log-expect: data_mismatch
# log-allow:
import os, sys, json, random, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(23); np.random.seed(23); torch.manual_seed(23)
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from lightning.pytorch.callbacks import EarlyStopping
from sklearn.datasets import load_digits
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_scan_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 8, 8).astype(np.float32)
idx = np.random.default_rng(23).permutation(len(y))
tr, va, te = idx[:1100], idx[1100:1450], idx[1450:]
X_test = X[te].copy()
if not CONTROL:  # new scanner: 1-px shift right/down, lower contrast, raised background
    X_test = np.roll(np.roll(X_test, 1, axis=1), 1, axis=2)
    X_test[:, 0, :] = 0; X_test[:, :, 0] = 0
    X_test = 0.6 * X_test + 3.0


def prep(a):
    return torch.tensor(a.reshape(len(a), 1, 8, 8) / 16.0, dtype=torch.float32)


mk = lambda a, b, s: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(prep(a), torch.tensor(b)), batch_size=64 if s else 512, shuffle=s)
train_dl, val_dl, test_dl = mk(X[tr], y[tr], True), mk(X[va], y[va], False), mk(X_test, y[te], False)


class DigitCNN(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                 nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))

    def _step(self, batch, prefix):
        x, yb = batch
        out = self.net(x)
        loss = F.cross_entropy(out, yb)
        self.log(f"{prefix}_loss", loss, on_step=prefix == "train", on_epoch=True)
        self.log(f"{prefix}_acc", (out.argmax(1) == yb).float().mean(), on_epoch=True)
        return loss

    def training_step(self, b, _):
        return self._step(b, "train")

    def validation_step(self, b, _):
        self._step(b, "val")

    def test_step(self, b, _):
        self._step(b, "test")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=2e-3)


model = DigitCNN()
trainer = L.Trainer(max_epochs=12, accelerator="cpu", devices=1, enable_progress_bar=False, enable_model_summary=False,
                    enable_checkpointing=False, log_every_n_steps=5, logger=CSVLogger(save_dir=LOG_DIR, name="", version=""),
                    callbacks=[EarlyStopping("val_loss", patience=3)])
trainer.fit(model, train_dl, val_dl)
val_res = trainer.validate(model, val_dl, verbose=False)[0]
test_res = trainer.test(model, test_dl, verbose=False)[0]
with torch.no_grad():
    tr_loss = F.cross_entropy(model.net(prep(X[tr])), torch.tensor(y[tr])).item()
print("CORPUS_METRIC " + json.dumps({"val_acc": round(val_res["val_acc"], 4), "val_loss": round(val_res["val_loss"], 4),
                                     "test_acc": round(test_res["test_acc"], 4), "test_loss": round(test_res["test_loss"], 4),
                                     "train_loss": round(tr_loss, 4), "chance_acc": 0.1}))
