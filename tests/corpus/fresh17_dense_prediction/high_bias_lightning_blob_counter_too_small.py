"""PyTorch Lightning instance counting: count the small bright 2x2 'cells' in a
20x20 image that also holds 0-3 distractor bars of the same brightness. MSE on
the count, CSVLogger. Planted: the model is far too small (sum-pool to 2x2
+ one Linear: it can only see total brightness per quadrant, so it cannot tell
cells from bars). --control uses a small CNN that predicts a density map and
sums it."""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (5-parameter quadrant-sum linear model): train_mse 2.79 / train_mae 1.35 and val_mse 2.46 / val_mae 1.27 (count variance 6.36; train ~ val, so the error is bias, not variance), exact-count acc 0.255; control (2.5k-param density CNN, same data/optimizer/11 epochs): train_mse 0.37, val_mse 0.286, val_mae 0.40, exact-count acc 0.698
# control: --control
# native-log: count/version_0/metrics.csv
# log-expect:
# log-allow: high_bias, non_convergence
import os, sys, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(14); np.random.seed(14); random.seed(14)
torch.set_num_threads(1)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 20
def make(n, rng):
    x = rng.normal(0, 0.1, (n, 1, H, H)).astype(np.float32); c = np.zeros((n, 1), np.float32)
    for i in range(n):
        k = rng.integers(0, 9); c[i] = k
        for slot in rng.choice(25, k, replace=False):          # one cell per 4x4 slot: no overlaps
            yy, xx = 4 * (slot // 5) + rng.integers(0, 3), 4 * (slot % 5) + rng.integers(0, 3)
            x[i, 0, yy:yy + 2, xx:xx + 2] += 1.0
        for _ in range(rng.integers(0, 4)):
            ln = rng.integers(4, 12); yy, xx = rng.integers(0, H - ln, 2)
            if rng.random() < 0.5: x[i, 0, yy, xx:xx + ln] += 1.0
            else: x[i, 0, yy:yy + ln, xx] += 1.0
    return torch.tensor(x), torch.tensor(c)
rng = np.random.default_rng(14)
xtr, ctr = make(512, rng); xva, cva = make(192, rng)

class Counter(L.LightningModule):
    def __init__(self):
        super().__init__()
        if CONTROL:
            self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                                     nn.Conv2d(16, 1, 1))
        else:
            self.net = nn.Sequential(nn.AvgPool2d(10, divisor_override=1), nn.Flatten(), nn.Linear(4, 1))   # quadrant brightness sums
    def forward(self, x):
        o = self.net(x)
        return o.flatten(1).sum(1, keepdim=True) if CONTROL else o
    def training_step(self, b, _):
        p = self(b[0]); loss = F.mse_loss(p, b[1])
        self.log("train_loss", loss, on_step=False, on_epoch=True); self.log("train_mae", (p - b[1]).abs().mean(), on_step=False, on_epoch=True)
        return loss
    def validation_step(self, b, _):
        p = self(b[0]); self.log("val_loss", F.mse_loss(p, b[1])); self.log("val_mae", (p - b[1]).abs().mean())
        self.log("val_exact_acc", (p.round() == b[1]).float().mean())
    def configure_optimizers(self): return torch.optim.Adam(self.parameters(), lr=2e-3)

dl = lambda x, c, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, c), batch_size=8 if sh else 192, shuffle=sh)
model = Counter()
trainer = L.Trainer(max_epochs=11, logger=CSVLogger(LOG_DIR, name="count", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=16)
trainer.fit(model, dl(xtr, ctr, True), dl(xva, cva, False))
r = trainer.callback_metrics
print(f"params {sum(p.numel() for p in model.parameters())}; count variance {cva.var():.3f}; train_mae {float(r['train_mae']):.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(r["val_loss"]), 4), "val_mse": round(float(r["val_loss"]), 4),
      "val_mae": round(float(r["val_mae"]), 4), "exact_count_acc": round(float(r["val_exact_acc"]), 4),
      "train_loss": round(float(r["train_loss"]), 4), "train_mae": round(float(r["train_mae"]), 4), "target_var": round(cva.var().item(), 4)}))
