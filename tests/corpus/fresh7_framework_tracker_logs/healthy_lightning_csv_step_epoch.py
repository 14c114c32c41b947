# expect:
# allow:
# forbid: *
# evidence: MLP on 8-class synthetic activity data reaches val_acc 0.93, val_loss 0.19, train_loss 0.12 (chance 0.125); val_loss falls every epoch
# native-log: csv/version_0/metrics.csv
# log-expect:
# log-allow:
"""Healthy: Lightning LightningModule + CSVLogger logging train_loss with on_step=True,
on_epoch=True (so metrics.csv has train_loss_step / train_loss_epoch columns) and val_loss /
val_acc per epoch. Adam lr 1e-3, 12 epochs, standardised features. Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

# synthetic "activity recognition": 8 classes, 24 summary features from a random nonlinear teacher
rng = np.random.default_rng(0)
C, D = 8, 24
centers = rng.normal(0, 0.75, (C, D))
def make(n):
    y = rng.integers(0, C, n)
    x = centers[y] + rng.normal(0, 1.0, (n, D))
    x[:, :6] = np.tanh(x[:, :6]) * 2 + 0.3 * x[:, 6:12]  # some nonlinear mixing
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(3000); Xva, yva = make(800)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=256)

class Net(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, C))
    def training_step(self, batch, i):
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss
    def validation_step(self, batch, i):
        x, y = batch
        out = self.net(x)
        self.log("val_loss", F.cross_entropy(out, y), on_epoch=True)
        self.log("val_acc", (out.argmax(1) == y).float().mean(), on_epoch=True)
    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)

model = Net()
trainer = L.Trainer(max_epochs=12, logger=CSVLogger(LOGDIR, name="csv", version=0), log_every_n_steps=10,
                    enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                    accelerator="cpu", devices=1)
trainer.fit(model, tr, va)
model.eval()
with torch.no_grad():
    o = model.net(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(model.net(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 1 / C}))
