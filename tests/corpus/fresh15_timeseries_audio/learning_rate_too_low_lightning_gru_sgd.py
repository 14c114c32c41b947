"""Lightning GRU forecaster for a synthetic temperature-sensor series (daily cycle + AR(1) weather
noise), plain SGD with lr=1e-4 (the author's 'safe' value). --control uses lr=0.1.
Lightning's CSVLogger writes metrics.csv."""
# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (SGD lr=1e-4): val_loss creeps 1.127 -> 1.085 over 6 epochs (train 1.276 -> 1.226), final val_mse 1.085 ~ target var 0.913, val_mae 0.888 far worse than naive last-value 0.246; control (lr=0.1): val_mse 0.049, val_mae 0.176
# control: --control
# native-log: lightning_logs/gru/version_0/metrics.csv
# log-expect:
# log-allow: learning_rate_too_low, non_convergence, high_bias
import os, sys, json, random, tempfile, warnings, logging
warnings.filterwarnings("ignore"); logging.getLogger("lightning").setLevel(logging.ERROR)
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
torch.set_num_threads(1); L.seed_everything(0, verbose=False); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LR = 0.1 if CONTROL else 1e-4
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

N = 2600; t = np.arange(N); ar = np.zeros(N); e = np.random.randn(N) * 0.3
for i in range(1, N): ar[i] = 0.9 * ar[i - 1] + e[i]
s = 2.0 * np.sin(2 * np.pi * t / 24) + ar
s = (s - s[:1800].mean()) / s[:1800].std()
W = 24
X = np.stack([s[i:i + W] for i in range(N - W)]).astype(np.float32)[:, :, None]; y = s[W:].astype(np.float32)
tr = torch.utils.data.TensorDataset(torch.tensor(X[:1000]), torch.tensor(y[:1000]))
va = torch.utils.data.TensorDataset(torch.tensor(X[1850:2250]), torch.tensor(y[1850:2250]))

class GRUForecaster(L.LightningModule):
    def __init__(self):
        super().__init__(); self.gru = nn.GRU(1, 16, batch_first=True); self.head = nn.Linear(16, 1)
    def forward(self, x):
        o, _ = self.gru(x); return self.head(o[:, -1]).squeeze(-1)
    def training_step(self, b, _):
        loss = F.mse_loss(self(b[0]), b[1]); self.log("train_loss", loss, on_epoch=True, on_step=False); return loss
    def validation_step(self, b, _):
        p = self(b[0]); self.log("val_loss", F.mse_loss(p, b[1])); self.log("val_mae", (p - b[1]).abs().mean())
    def configure_optimizers(self): return torch.optim.SGD(self.parameters(), lr=LR)

model = GRUForecaster()
trainer = L.Trainer(max_epochs=6, logger=CSVLogger(LOG_DIR, name="lightning_logs/gru", version=0), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1, log_every_n_steps=10)
trainer.fit(model, torch.utils.data.DataLoader(tr, batch_size=32, shuffle=True), torch.utils.data.DataLoader(va, batch_size=256))
model.eval()
with torch.no_grad():
    Xv, yv = va.tensors; p = model(Xv)
    vmse = F.mse_loss(p, yv).item(); vmae = (p - yv).abs().mean().item(); naive = (yv - Xv[:, -1, 0]).abs().mean().item()
    Xt, yt = tr.tensors; tmse = F.mse_loss(model(Xt), yt).item()
print(f"val_mse {vmse:.4f} val_mae {vmae:.4f} train_mse {tmse:.4f} naive last-value MAE {naive:.4f} target var {yv.var().item():.3f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "val_mae": round(vmae, 4), "train_mse": round(tmse, 4),
      "naive_mae": round(naive, 4), "target_var": round(yv.var().item(), 4)}))
