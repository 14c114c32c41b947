# expect: unnormalized_inputs
# allow: non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (raw features, Adam 1e-3, 25 epochs) val_acc 0.759, train_acc 0.758, val_loss 0.595, 53% of layer-1 ReLUs dead; control (standardised) val_acc 1.00, val_loss 0.015 (chance 0.389)
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Lightning 3-class tabular classifier on sklearn's wine data (13 chemical features). Planted: the raw
features are fed as they are (proline ~300-1700, magnesium ~70-160, hue ~0.5-1.7), no scaling.
--control: the DataModule standardises the features with train statistics."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


class WineDM(L.LightningDataModule):
    def setup(self, stage=None):
        X, y = load_wine(return_X_y=True)
        Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
        if CONTROL:
            mu, sd = Xtr.mean(0), Xtr.std(0)
            Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
        f = lambda a: torch.tensor(a, dtype=torch.float32)
        self.tr = TensorDataset(f(Xtr), torch.tensor(ytr))
        self.va = TensorDataset(f(Xva), torch.tensor(yva))

    def train_dataloader(self):
        return DataLoader(self.tr, batch_size=16, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.va, batch_size=256)


class Clf(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
        self.crit = nn.CrossEntropyLoss()

    def forward(self, x):
        return self.net(x)

    def training_step(self, b, i):
        x, y = b
        out = self(x)
        loss = self.crit(out, y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        self.log("train_acc", (out.argmax(1) == y).float().mean(), on_step=False, on_epoch=True)
        return loss

    def validation_step(self, b, i):
        x, y = b
        out = self(x)
        self.log("val_loss", self.crit(out, y))
        self.log("val_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


dm = WineDM(); dm.setup()
model = Clf()
trainer = L.Trainer(max_epochs=25, accelerator="cpu", devices=1, logger=CSVLogger(LOG_DIR, name="", version=""),
                    enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                    log_every_n_steps=5)
trainer.fit(model, datamodule=dm)
model.eval()
with torch.no_grad():
    xv, yv = dm.va.tensors; xt, yt = dm.tr.tensors
    ov, ot = model(xv), model(xt)
    m = {"val_loss": float(nn.functional.cross_entropy(ov, yv)), "val_acc": float((ov.argmax(1) == yv).float().mean()),
         "train_loss": float(nn.functional.cross_entropy(ot, yt)), "train_acc": float((ot.argmax(1) == yt).float().mean()),
         "chance_acc": float(np.bincount(yv.numpy()).max() / len(yv))}
    h = model.net[1](model.net[0](xt))
    m["dead_frac_layer1"] = float((h.max(0).values <= 0).float().mean())
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()}))
