# expect: dead_units
# allow: poor_initialization, non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: control (bias 0) val_acc 0.88, val_loss 0.32; planted (bias -2.5) dead ReLU fraction per layer [0.0, 0.64, 1.0] at init and at the end, val_acc 0.179 = chance 0.179, loss flat at ln6=1.79
# control: --control
# native-log: accel_tb
# log-expect: non_convergence
# log-allow: high_bias
"""Planted dead_units: accelerate loop with the TensorBoard tracker; a 4-layer ReLU MLP whose
custom init_weights() sets every hidden bias to -2.5 (a copy-paste from a "sparse activation"
recipe). With kaiming weights and standardised inputs most ReLUs never fire on any input and
get no gradient, so the effective network is tiny. --control initialises the biases to 0 and
changes nothing else."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
from accelerate import Accelerator
from accelerate.utils import set_seed
set_seed(10)
CONTROL = "--control" in sys.argv
BIAS = 0.0 if CONTROL else -2.5
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(10)
C, D = 6, 20
centers = rng.normal(0, 0.8, (C, 2, D))
def make(n):
    y = rng.integers(0, C, n)
    x = centers[y, rng.integers(0, 2, n)] + rng.normal(0, 1.0, (n, D))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(4000); Xva, yva = make(800)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=400)

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, C))
def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, BIAS if m.out_features != C else 0.0)
model.apply(init_weights)
def dead_frac(model, X):
    fr, h = [], X
    with torch.no_grad():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.ReLU): fr.append(round((h.max(0).values <= 0).float().mean().item(), 3))
    return fr
print("probe dead fraction per ReLU layer at init", dead_frac(model, Xtr))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
acc = Accelerator(log_with="tensorboard", project_dir=LOGDIR, cpu=True)
acc.init_trackers("accel_tb", config={"lr": 1e-3, "hidden_bias_init": BIAS})
model, opt, tr, va = acc.prepare(model, opt, tr, va)
step = 0
for ep in range(8):
    model.train()
    for x, y in tr:
        loss = F.cross_entropy(model(x), y); opt.zero_grad(); acc.backward(loss); opt.step(); step += 1
        if step % 10 == 0: acc.log({"train/loss": loss.item()}, step=step)
    model.eval()
    with torch.no_grad():
        o = torch.cat([model(x) for x, _ in va]); yy = torch.cat([y for _, y in va])
    vl = F.cross_entropy(o, yy).item(); vacc = (o.argmax(1) == yy).float().mean().item()
    acc.log({"val/loss": vl, "val/acc": vacc}, step=step)
acc.end_training()
print("probe dead fraction per ReLU layer at end", dead_frac(model, Xtr))
with torch.no_grad():
    tl = F.cross_entropy(model(Xtr), ytr).item()
maj = torch.bincount(yva).max().item() / len(yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": round(maj, 4)}))
