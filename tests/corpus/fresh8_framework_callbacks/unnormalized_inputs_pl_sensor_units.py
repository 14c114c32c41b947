# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: planted (raw columns, std from 1e-4 to 1e5) stays at chance: val_acc 0.503, val_loss 0.695, train_loss 0.694; control (standardised) val_acc 0.977, val_loss 0.068
# control: --control
# native-log: sensors/version_0/metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias, learning_rate_too_high
# Tabular "sensor" regression-to-class task. Raw columns are in wildly different units
# (pressure in Pa ~1e5, temperature in K ~300, strain ~1e-4). The planted run feeds them raw;
# --control standardises them with train-set mean/std.
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
from torch import nn
import lightning as L
from lightning.pytorch.loggers import CSVLogger

torch.set_num_threads(1)
L.seed_everything(5, verbose=False)
normalise = "--control" in sys.argv
LOGS = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(0)
def gen(n):
    z = rng.normal(size=(n, 8))
    scales = np.array([1e5, 3e2, 1e-4, 50.0, 1e3, 2e-3, 1.0, 7e4])
    offsets = np.array([1.01e5, 290.0, 0.0, 20.0, 5e3, 0.0, 0.0, 2e5])
    raw = z * scales * 0.05 + offsets + z * scales
    y = ((z[:, 0] * z[:, 2] + z[:, 1] - 0.5 * z[:, 5] + 0.3 * z[:, 3]) > 0).astype(np.int64)
    return raw.astype(np.float32), y
xtr, ytr = gen(4000); xva, yva = gen(1000)
if normalise:
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
xtr, xva = torch.tensor(xtr), torch.tensor(xva)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

class SensorModel(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    def forward(self, x): return self.mlp(x)
    def training_step(self, batch, batch_idx):
        x, y = batch; logits = self(x)
        loss = nn.functional.cross_entropy(logits, y)
        self.log_dict({"train_loss": loss, "train_acc": (logits.argmax(1) == y).float().mean()}, on_step=True, on_epoch=True)
        return loss
    def validation_step(self, batch, batch_idx):
        x, y = batch; logits = self(x)
        self.log_dict({"val_loss": nn.functional.cross_entropy(logits, y), "val_acc": (logits.argmax(1) == y).float().mean()})
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)

m = SensorModel()
L.Trainer(max_epochs=8, accelerator="cpu", logger=CSVLogger(LOGS, name="sensors", version=0), gradient_clip_val=5.0,
          enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False, log_every_n_steps=10
          ).fit(m, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=64, shuffle=True),
                torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xva, yva), batch_size=1000))
m.eval()
with torch.no_grad():
    a, b = m(xva), m(xtr)
print("input column std range:", float(xtr.std(0).min()), float(xtr.std(0).max()))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(nn.functional.cross_entropy(a, yva).item(), 4),
      "val_acc": round((a.argmax(1) == yva).float().mean().item(), 4),
      "train_loss": round(nn.functional.cross_entropy(b, ytr).item(), 4), "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4)}))
