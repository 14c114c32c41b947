"""PyTorch Lightning instance counting with a density map: a small CNN predicts a
non-negative per-pixel density (softplus) whose sum is the count; trained with
Poisson NLL on the count (counts 0-12, skewed toward small values as in real
cell images). Distractor bars of equal brightness must not be counted. CSVLogger."""
# expect:
# allow:
# forbid: *
# evidence: Poisson NLL without the Stirling/log(y!) term is negative by design: val_loss -0.298 -> -0.796 (train -0.152 -> -0.806, tracking val); held-out count MAE 1.386 -> 0.395 (predict-the-mean baseline 1.441), exact-count accuracy 0.740; counts are skewed (Poisson(3)) and handled by the count loss
# native-log: counter/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
warnings.filterwarnings("ignore"); logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)

torch.manual_seed(19); np.random.seed(19); random.seed(19)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
H = 20
def make(n, rng):
    x = rng.normal(0, 0.15, (n, 1, H, H)).astype(np.float32); c = np.zeros((n, 1), np.float32)
    for i in range(n):
        k = min(rng.poisson(3.0), 12); c[i] = k
        for slot in rng.choice(25, k, replace=False):
            yy, xx = 4 * (slot // 5) + rng.integers(0, 3), 4 * (slot % 5) + rng.integers(0, 3)
            x[i, 0, yy:yy + 2, xx:xx + 2] += rng.uniform(0.8, 1.2)
        for _ in range(rng.integers(0, 3)):
            ln = rng.integers(4, 12); yy, xx = rng.integers(0, H - ln, 2)
            if rng.random() < 0.5: x[i, 0, yy, xx:xx + ln] += 1.0
            else: x[i, 0, yy:yy + ln, xx] += 1.0
    return torch.tensor(x), torch.tensor(c)
rng = np.random.default_rng(19)
xtr, ctr = make(512, rng); xva, cva = make(192, rng)
class Counter(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
        nn.init.constant_(self.net[-1].bias, -4.0)
    def forward(self, x): return F.softplus(self.net(x)).flatten(1).sum(1, keepdim=True)
    def training_step(self, b, _):
        p = self(b[0]); loss = F.poisson_nll_loss(p, b[1], log_input=False)
        self.log("train_loss", loss, on_step=False, on_epoch=True); return loss
    def validation_step(self, b, _):
        p = self(b[0]); self.log("val_loss", F.poisson_nll_loss(p, b[1], log_input=False))
        self.log("val_mae", (p - b[1]).abs().mean()); self.log("val_exact_acc", (p.round() == b[1]).float().mean())
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=3e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.StepLR(opt, 7, 0.3)}
dl = lambda x, c, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, c), batch_size=8 if sh else 192, shuffle=sh)
model = Counter()
trainer = L.Trainer(max_epochs=10, logger=CSVLogger(LOG_DIR, name="counter", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=16)
trainer.fit(model, dl(xtr, ctr, True), dl(xva, cva, False))
m = trainer.callback_metrics
base = (cva - ctr.mean()).abs().mean().item()
print(f"count histogram (val): {np.bincount(cva.flatten().int().numpy())}; predict-the-mean MAE {base:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(float(m["val_loss"]), 4), "val_mae": round(float(m["val_mae"]), 4),
      "exact_count_acc": round(float(m["val_exact_acc"]), 4), "mean_baseline_mae": round(base, 4), "train_loss": round(float(m["train_loss"]), 4)}))
