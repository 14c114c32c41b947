"""Planted non_finite: PyTorch Lightning activity classifier that z-scores each window without an epsilon.

Tri-axial accelerometer windows (3 x 64 samples) of five activities (rest, walk, run, stairs,
cycling) with person-specific gain. The LightningModule standardises every window per channel
inside forward(): (x - mean) / std. About 0.4 % of the recorded windows come from a sensor dropout
and are perfectly flat (constant value), so std == 0 and the division gives 0/0 = NaN. The first
training batch containing such a window makes the loss NaN, Adam turns the weights into NaN and
everything after is NaN. --control uses (x - mean) / (std + 1e-5) instead; nothing else changes.
CSVLogger -> metrics.csv.
"""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted: train loss NaN from step 15 on, all 6 parameter tensors NaN at the end, val_acc 0.204 (chance 0.20); control (eps 1e-5): val_acc 0.956, val_loss 0.12, train_loss 0.11
# control: --control
# native-log: metrics.csv
# log-expect: non_finite
# log-allow: non_convergence
import os, sys, json, math, random, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(22); np.random.seed(22); torch.manual_seed(22)
import lightning as L
from lightning.pytorch.loggers import CSVLogger
CONTROL = "--control" in sys.argv
EPS = 1e-5 if CONTROL else 0.0

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_acc_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(22)
T = 64


def make(n):
    y = rng.integers(0, 5, n)
    t = np.arange(T) / 32.0   # 32 Hz
    freq = np.array([0.0, 1.8, 2.8, 1.4, 1.1])[y][:, None] * rng.uniform(0.85, 1.15, (n, 1))
    amp = np.array([0.02, 0.4, 1.2, 0.6, 0.3])[y][:, None]
    gain = rng.uniform(0.7, 1.4, (n, 1))
    x = np.zeros((n, 3, T))
    for c, (ph_shift, harm) in enumerate([(0.0, 0.3), (1.2, 0.6), (2.1, 0.1)]):
        base = amp * (np.sin(2 * np.pi * freq * t + ph_shift) + harm * np.sin(4 * np.pi * freq * t))
        x[:, c] = gain * (base + 0.05 * rng.normal(size=(n, T))) + (9.81 if c == 2 else 0.0)
    x[y == 4, 0] += 0.5 * np.sign(np.sin(2 * np.pi * freq[y == 4] * t))  # pedal strokes on x
    flat = rng.random(n) < 0.004                        # sensor dropout: the last value is held
    x[flat] = x[flat][:, :, :1]
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


Xtr, ytr = make(2000)
Xva, yva = make(500)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True,
                                       generator=torch.Generator().manual_seed(25))
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=500)


class ActivityNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                 nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                                 nn.Linear(32, 5))
        self.first_nan_step = None

    def forward(self, x):
        mu = x.mean(dim=2, keepdim=True)
        sd = x.std(dim=2, keepdim=True)
        return self.net((x - mu) / (sd + EPS))   # per-window, per-channel z-score

    def training_step(self, batch, _):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        if not torch.isfinite(loss) and self.first_nan_step is None:
            self.first_nan_step = self.global_step
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        out = self(x)
        self.log("val_loss", F.cross_entropy(out, y)); self.log("val_acc", (out.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=3e-3)


model = ActivityNet()
trainer = L.Trainer(max_epochs=6, accelerator="cpu", devices=1, enable_progress_bar=False, enable_model_summary=False,
                    enable_checkpointing=False, log_every_n_steps=2, logger=CSVLogger(save_dir=LOG_DIR, name="", version=""))
trainer.fit(model, train_dl, val_dl)
model.eval()
with torch.no_grad():
    out = model(Xva)
    va = (out.argmax(1) == yva).float().mean().item(); vl = F.cross_entropy(out, yva).item()
    tl = F.cross_entropy(model(Xtr), ytr).item()
nan_w = sum(int(torch.isnan(p).any()) for p in model.parameters())
print("first NaN training loss at step", model.first_nan_step, "| parameters with NaN:", nan_w, "of", len(list(model.parameters())), "| flat windows in train:", int((Xtr.std(2) == 0).all(1).sum()))
print("CORPUS_METRIC " + json.dumps({"val_acc": round(va, 4), "val_loss": round(vl, 4) if math.isfinite(vl) else None,
                                     "train_loss": round(tl, 4) if math.isfinite(tl) else None, "losses_finite": math.isfinite(vl) and math.isfinite(tl), "nan_param_tensors": nan_w, "first_nan_step": model.first_nan_step, "chance_acc": 0.2}))
