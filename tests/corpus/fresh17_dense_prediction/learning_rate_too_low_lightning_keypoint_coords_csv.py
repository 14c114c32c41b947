"""PyTorch Lightning: direct (y, x) coordinate regression of two keypoints (the
two ends of a synthetic bar) with a small CNN, normalised coordinates in [-1,1],
SmoothL1 loss, CSVLogger. Planted: Adam lr=1e-6 (the config meant 1e-3).
--control uses lr=1e-3."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (Adam lr=1e-6, 12 epochs): max relative weight change 3.7e-3, val mae_px 4.125 = predict-the-mean baseline 4.14, val_loss 0.125 (train 0.120); control (lr=1e-3): weights move 60%, val mae_px 2.80, val_loss 0.065 (train 0.047)
# control: --control
# native-log: kp/version_0/metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(10); np.random.seed(10); random.seed(10)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LR = 1e-3 if CONTROL else 1e-6
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 20
def make(n, rng):
    x = rng.normal(0, 0.2, (n, 1, H, H)).astype(np.float32); k = np.zeros((n, 4), np.float32)
    for i in range(n):
        (y0, x0), (y1, x1) = rng.integers(2, H - 2, (2, 2))
        for t in np.linspace(0, 1, 25):
            x[i, 0, int(round(y0 + t * (y1 - y0))), int(round(x0 + t * (x1 - x0)))] = 1.0
        x[i, 0, y0, x0] = 2.0                      # 'head' end is brighter
        k[i] = np.array([y0, x0, y1, x1]) / (H - 1) * 2 - 1
    return torch.tensor(x), torch.tensor(k)
rng = np.random.default_rng(10)
xtr, ktr = make(384, rng); xva, kva = make(128, rng)

class LitKP(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(32 * 25, 64), nn.ReLU(), nn.Linear(64, 4))
    def forward(self, x): return self.net(x)
    def training_step(self, b, _):
        loss = F.smooth_l1_loss(self(b[0]), b[1]); self.log("train_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, b, _):
        p = self(b[0]); px = (p - b[1]).abs() * (H - 1) / 2
        self.log("val_loss", F.smooth_l1_loss(p, b[1])); self.log("val_mae_px", px.mean())
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=LR)

dl = lambda x, k, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, k), batch_size=32 if sh else 128, shuffle=sh)
model = LitKP()
w0 = [p.detach().clone() for p in model.parameters()]
trainer = L.Trainer(max_epochs=12, logger=CSVLogger(LOG_DIR, name="kp", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=4)
trainer.fit(model, dl(xtr, ktr, True), dl(xva, kva, False))
rel = max(((p.detach() - q).norm() / q.norm()).item() for p, q in zip(model.parameters(), w0))
r = trainer.callback_metrics
chance = ((kva - ktr.mean(0)).abs() * (H - 1) / 2).mean().item()
print(f"max relative weight change over training {rel:.2e}; predict-the-mean mae_px {chance:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(r["val_loss"]), 5), "mae_px": round(float(r["val_mae_px"]), 3),
      "train_loss": round(float(r["train_loss"]), 5), "mean_baseline_mae_px": round(chance, 3), "max_rel_weight_change": rel}))
