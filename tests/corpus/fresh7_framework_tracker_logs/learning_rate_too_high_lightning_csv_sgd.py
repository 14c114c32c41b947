# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, dead_units, non_convergence, high_bias
# forbid: *
# evidence: control (SGD lr=0.05) reaches val_acc 0.92, val_loss 0.27; planted (lr=1.5) spikes to train_loss_step 4.26 in epoch 0 then sits at ln(8)=2.08 (val_loss 2.10, val_acc 0.126, chance 0.125) for all 12 epochs
# control: --control
# native-log: csv/version_0/metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_high, high_bias
"""Planted learning_rate_too_high: Lightning + CSVLogger (train_loss_step / train_loss_epoch,
val_loss, val_acc), SGD with momentum 0.9 at lr=1.5 on the standardised 8-class activity data.
--control sets lr back to 0.05; nothing else changes."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
CONTROL = '--control' in sys.argv
LR = 0.05 if CONTROL else 1.5
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
        return torch.optim.SGD(self.parameters(), lr=LR, momentum=0.9)

model = Net()
trainer = L.Trainer(max_epochs=12, logger=CSVLogger(LOGDIR, name="csv", version=0), log_every_n_steps=10,
                    enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False,
                    accelerator="cpu", devices=1)
trainer.fit(model, tr, va)
model.eval()
with torch.no_grad():
    h = model.net[1](model.net[0](Xva)); print('probe dead_frac_layer1', (h.max(0).values <= 0).float().mean().item())
    o = model.net(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    tl = F.cross_entropy(model.net(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 1 / C, "lr": LR}))
