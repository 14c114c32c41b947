"""Planted dead_units: Lightning Fabric 1-D CNN for chirp/tone classification with a "sparsity" bias init of -2.

Six classes of 1-second audio-like snippets at 128 samples: up-chirp, down-chirp, steady tone,
two-tone, amplitude-modulated tone and noise burst, with random frequencies and noise. Conv1d
ReLU stack + global max pooling + linear head, trained with Adam through Fabric; fabric.log_dict
to Fabric's CSVLogger. The planted cause: an init helper sets every conv/hidden bias to -2.0
("to get sparse features"), so most ReLU channels never become positive for any input and get
no gradient. --control keeps PyTorch's default bias init.
"""
# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: planted: 85 % of ReLU channels output 0 for every validation snippet (per layer 46/100/100 %), loss stuck at ln 6 = 1.79, val_acc 0.175 (chance 0.167); control (default bias init): 2 % dead, val_acc 0.99, val_loss 0.046
# control: --control
# native-log: fabric_csv/metrics.csv
# log-expect:
# log-allow: non_convergence, high_bias
import os, sys, json, random, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.getLogger("lightning").setLevel(logging.ERROR)
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
random.seed(21); np.random.seed(21); torch.manual_seed(21)
from lightning.fabric import Fabric
from lightning.fabric.loggers import CSVLogger
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_chirp_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(21)
T = 128
tt = np.arange(T) / T


def make(n):
    y = rng.integers(0, 6, n)
    x = np.zeros((n, T))
    for i in range(n):
        f0, f1 = rng.uniform(4, 10), rng.uniform(16, 30)
        ph = rng.uniform(0, 6.3)
        if y[i] == 0:
            x[i] = np.sin(2 * np.pi * (f0 * tt + (f1 - f0) * tt ** 2 / 2) + ph)
        elif y[i] == 1:
            x[i] = np.sin(2 * np.pi * (f1 * tt - (f1 - f0) * tt ** 2 / 2) + ph)
        elif y[i] == 2:
            x[i] = np.sin(2 * np.pi * f1 * tt + ph)
        elif y[i] == 3:
            x[i] = 0.6 * np.sin(2 * np.pi * f0 * tt + ph) + 0.6 * np.sin(2 * np.pi * f1 * tt)
        elif y[i] == 4:
            x[i] = (1 + 0.8 * np.sin(2 * np.pi * rng.uniform(2, 4) * tt)) * np.sin(2 * np.pi * f1 * tt + ph) / 1.4
        else:
            a = rng.integers(0, T // 2)
            x[i, a:a + T // 3] = rng.normal(0, 1, T // 3)
        x[i] += 0.3 * rng.normal(size=T)
    return torch.tensor(x[:, None], dtype=torch.float32), torch.tensor(y)


Xtr, ytr = make(1200)
Xva, yva = make(400)


class ChirpNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 24, 9, padding=4); self.c2 = nn.Conv1d(24, 32, 9, padding=4, stride=2)
        self.c3 = nn.Conv1d(32, 32, 5, padding=2); self.head = nn.Linear(32, 6)

    def forward(self, x, acts=None):
        a1 = F.relu(self.c1(x)); a2 = F.relu(self.c2(a1)); a3 = F.relu(self.c3(a2))
        if acts is not None:
            acts += [a.amax(dim=2) for a in (a1, a2, a3)]   # per-sample max activation of each channel
        return self.head(F.adaptive_max_pool1d(a3, 1).flatten(1))


def sparse_init(m):  # the planted helper
    for layer in (m.c1, m.c2, m.c3):
        nn.init.constant_(layer.bias, -2.0)


model = ChirpNet()
if not CONTROL:
    sparse_init(model)
fabric = Fabric(accelerator="cpu", devices=1, loggers=CSVLogger(root_dir=LOG_DIR, name="fabric_csv", version=""))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
model, opt = fabric.setup(model, opt)
train_dl = fabric.setup_dataloaders(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True))
step = 0
for epoch in range(8):
    model.train(); tot = n = 0
    for xb, yb in train_dl:
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); fabric.backward(loss); opt.step()
        tot += loss.item() * len(yb); n += len(yb); step += 1
        if step % 5 == 0:
            fabric.log_dict({"train_loss": loss.item()}, step=step)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    fabric.log_dict({"epoch": epoch, "train_loss_epoch": tot / n, "val_loss": vl, "val_acc": va}, step=step)
    print(f"epoch {epoch} train {tot/n:.4f} val {vl:.4f} acc {va:.3f}")
fabric.loggers[0].finalize("success")

acts = []
with torch.no_grad():
    model(Xva, acts)
dead = [float((a.amax(0) <= 0).float().mean()) for a in acts]
n_units = [a.shape[1] for a in acts]
dead_all = float(sum(d * k for d, k in zip(dead, n_units)) / sum(n_units))
print("dead fraction per layer:", [round(d, 3) for d in dead])
print("CORPUS_METRIC " + json.dumps({"val_acc": round(va, 4), "val_loss": round(vl, 4), "train_loss": round(tot / n, 4),
                                     "dead_unit_frac": round(dead_all, 4), "chance_acc": 0.1667}))
