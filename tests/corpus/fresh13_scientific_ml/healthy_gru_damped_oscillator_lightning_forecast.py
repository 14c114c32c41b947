# Forecasting damped-oscillator sensor traces with a GRU in PyTorch Lightning (CSVLogger).
# Each trajectory x(t) = A exp(-g t) cos(w t + phi) + noise has its own (A, g, w, phi) drawn from
# the same ranges for train and validation (held-out trajectories, in-distribution). The model
# reads 30 past samples and predicts the next 10. Compared with a persistence baseline
# (repeat the last value). Noise sd 0.02 sets the floor.
# expect:
# allow:
# forbid: *
# evidence: held-out trajectories: val_mse 0.0071 vs target var 0.112 (R2 0.94), RMSE 0.084 vs persistence baseline 0.387; train 0.0057 (no real gap); val_loss decreases every few epochs 0.048 -> 0.0071 with cosine lr
# native-log: gru_logs/version_0/metrics.csv
# log-expect:
# log-allow:
import os, json, math, random, tempfile, warnings, logging
import numpy as np
import torch
import torch.nn as nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger

warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
L.seed_everything(0, verbose=False)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
IN, OUT, NOISE = 30, 10, 0.02

def windows(n_traj, per_traj=6):
    t = torch.arange(0, 200) * 0.05
    A = torch.empty(n_traj, 1).uniform_(0.5, 1.5); g = torch.empty(n_traj, 1).uniform_(0.05, 0.4)
    w = torch.empty(n_traj, 1).uniform_(2.0, 5.0); ph = torch.empty(n_traj, 1).uniform_(0, 2 * math.pi)
    x = A * torch.exp(-g * t) * torch.cos(w * t + ph) + NOISE * torch.randn(n_traj, len(t))
    starts = torch.randint(0, len(t) - IN - OUT, (n_traj, per_traj))
    X = torch.stack([x[i, s:s + IN] for i in range(n_traj) for s in starts[i]])
    Y = torch.stack([x[i, s + IN:s + IN + OUT] for i in range(n_traj) for s in starts[i]])
    return X.unsqueeze(-1), Y

Xtr, Ytr = windows(150); Xva, Yva = windows(40)

class Forecaster(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, OUT)
    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])
    def training_step(self, batch, _):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss, on_step=False, on_epoch=True)
        return loss
    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self(x), y), on_epoch=True)
    def configure_optimizers(self):
        opt = torch.optim.Adam(self.parameters(), lr=8e-3)
        return {"optimizer": opt, "lr_scheduler": torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=15)}

dl = lambda X, Y, sh: torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=64, shuffle=sh)
model = Forecaster()
trainer = L.Trainer(max_epochs=15, logger=CSVLogger(log_dir, name="gru_logs"), enable_checkpointing=False,
                    enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", devices=1)
trainer.fit(model, dl(Xtr, Ytr, True), dl(Xva, Yva, False))
with torch.no_grad():
    val_mse = nn.functional.mse_loss(model(Xva), Yva).item()
    train_mse = nn.functional.mse_loss(model(Xtr), Ytr).item()
persist = nn.functional.mse_loss(Xva[:, -1, :].expand(-1, OUT), Yva).item()
print(f"val RMSE {val_mse**0.5:.4f} vs persistence {persist**0.5:.4f}; target std {Yva.std().item():.3f}; noise sd {NOISE}")
print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse, "train_loss": train_mse, "persistence_mse": persist, "target_var": Yva.var().item(), "noise_var": NOISE ** 2}))
