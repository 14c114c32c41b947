# expect: exploding_gradients
# allow: poor_initialization, non_finite, learning_rate_too_high, non_convergence, dead_units
# forbid: *
# evidence: control (gain 1.0) val_mse 0.105 of target variance 0.573, first-step weight-grad norms 1.8-5.7; planted (gain 1.8) first-step weight-grad norms 6.4e4-2.3e5 (~4e4x control), train_loss NaN from the first logged step (4) on, val_mse NaN
# control: --control
# native-log: lightning_logs/version_0/metrics.csv
# log-expect: non_finite
# log-allow: exploding_gradients, non_convergence, learning_rate_too_high
"""Planted exploding_gradients: Lightning (default CSVLogger location lightning_logs/version_0/
metrics.csv, train_loss per step, val_loss / val_mse per epoch) for a 10-layer ReLU regressor
whose init_weights() uses kaiming_normal_ and then multiplies each weight by 1.8 (a leftover
"gain" hyper-parameter): the signal and the backward gradient grow ~1.8x per layer, so the
first layers receive gradients ~1e3x those of the last, the first SGD step's update is huge and the
loss and weights are NaN within 4 steps. --control uses gain 1.0 (plain kaiming_normal_); nothing
else changes."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning.pytorch").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.loggers import CSVLogger
torch.set_num_threads(1)
L.seed_everything(21, verbose=False)
CONTROL = "--control" in sys.argv
GAIN = 1.0 if CONTROL else 1.8
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(21)
D = 12
w = rng.normal(0, 1, D)
def make(n):
    x = rng.normal(0, 1, (n, D)); y = np.sin(x @ w / 3) + 0.3 * x[:, 0] * x[:, 1] + rng.normal(0, 0.1, n)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
Xtr, ytr = make(3000); Xva, yva = make(800)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=400)

class Reg(L.LightningModule):
    def __init__(self):
        super().__init__()
        layers, d = [], D
        for _ in range(9): layers += [nn.Linear(d, 64), nn.ReLU()]; d = 64
        self.f = nn.Sequential(*layers, nn.Linear(64, 1))
        for m in self.f:
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu"); nn.init.zeros_(m.bias)
                with torch.no_grad(): m.weight.mul_(GAIN)
        self.first_grads = None
    def forward(self, x): return self.f(x).squeeze(1)
    def training_step(self, b, i):
        x, y = b; loss = F.mse_loss(self(x), y); self.log("train_loss", loss, on_step=True, on_epoch=False); return loss
    def on_after_backward(self):
        if self.first_grads is None:
            self.first_grads = [m.weight.grad.norm().item() for m in self.f if isinstance(m, nn.Linear)]
    def validation_step(self, b, i):
        x, y = b; self.log("val_loss", F.mse_loss(self(x), y))
    def configure_optimizers(self): return torch.optim.SGD(self.parameters(), lr=0.01, momentum=0.9)
m = Reg()
t = L.Trainer(max_epochs=8, logger=CSVLogger(LOGDIR, name="lightning_logs", version=0), log_every_n_steps=5, enable_progress_bar=False,
              enable_model_summary=False, enable_checkpointing=False, accelerator="cpu", devices=1, num_sanity_val_steps=0)
t.fit(m, tr, va)
g = m.first_grads
print("probe first-step weight-grad norm per linear layer (input->output):", ["%.3g" % v for v in g])
m.eval()
with torch.no_grad(): vl = F.mse_loss(m(Xva), yva).item(); tl = F.mse_loss(m(Xtr), ytr).item()
fin = lambda v: round(v, 4) if np.isfinite(v) else None  # null = non-finite
print("CORPUS_METRIC " + json.dumps({"val_mse": fin(vl), "train_mse": fin(tl), "target_var": round(yva.var().item(), 4), "diverged": not np.isfinite(vl)}))
