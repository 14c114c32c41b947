# expect: saturated_activations
# allow: poor_initialization, overfitting, high_variance
# forbid: *
# evidence: planted (xavier gain 5): fraction of tanh outputs with |a|>0.99 is 0.16/0.50/0.56/0.56 in layers 1-4 at init and 0.16/0.51/0.56/0.56 at the end; train MSE 0.606 -> 0.004 while val MSE bottoms at 0.433 (epoch 3) and climbs to 0.510 (target variance 0.894). Control (gain 5/3): at most 0.023 saturated, val MSE 0.063, train MSE 0.019
# control: --control
# native-log: tb_logs
# log-expect:
# log-allow: overfitting, high_variance
"""4-layer tanh MLP regressor whose Xavier init uses gain=5 (meant calculate_gain('tanh') = 5/3).

With gain 5 the pre-activations of the hidden layers have std ~3-5, so about half of the tanh
units sit at |a| > 0.99 from the start and stay there: the network behaves like a random
binary feature map, memorises the training set and generalises badly.  TensorBoard scalars only
(Loss/train, Loss/val, lr, per epoch), so the log shows curves, not the activations.
--control uses gain = 5/3; everything else is identical.  The saturation probe is printed.
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_friedman1
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
SEED = 0
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="tb_sat_")
writer = SummaryWriter(os.path.join(LOG_DIR, "tb_logs"))

X, y = make_friedman1(n_samples=2000, n_features=10, noise=0.5, random_state=0)
X = (X - X.mean(0)) / X.std(0)
y = (y - y.mean()) / y.std()
Xtr, ytr = torch.tensor(X[:1600], dtype=torch.float32), torch.tensor(y[:1600], dtype=torch.float32)
Xva, yva = torch.tensor(X[1600:], dtype=torch.float32), torch.tensor(y[1600:], dtype=torch.float32)

GAIN = 5.0 / 3.0 if CONTROL else 5.0
layers, d = [], 10
for _ in range(4):
    lin = nn.Linear(d, 128)
    nn.init.xavier_uniform_(lin.weight, gain=GAIN)
    nn.init.zeros_(lin.bias)
    layers += [lin, nn.Tanh()]
    d = 128
layers.append(nn.Linear(128, 1))
model = nn.Sequential(*layers)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


@torch.no_grad()
def saturation(x):
    fr, h = [], x
    for m in model:
        h = m(h)
        if isinstance(m, nn.Tanh):
            fr.append(round((h.abs() > 0.99).float().mean().item(), 3))
    return fr


print(f"tanh |a|>0.99 fraction per layer at init: {saturation(Xva)}")
EPOCHS, BS = 20, 32
for epoch in range(EPOCHS):
    model.train()
    p = torch.randperm(len(Xtr))
    tot = 0.0
    for i in range(0, len(Xtr), BS):
        b = p[i:i + BS]
        loss = F.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
    writer.add_scalar("Loss/train", tot / len(Xtr), epoch)
    writer.add_scalar("Loss/val", vl, epoch)
    writer.add_scalar("lr", opt.param_groups[0]["lr"], epoch)
    if epoch % 4 == 3 or epoch == 0:
        print(f"epoch {epoch:2d} train mse {tot / len(Xtr):.4f} val mse {vl:.4f} saturation {saturation(Xva)}")
writer.close()
sat = saturation(Xva)
print(f"tanh |a|>0.99 fraction per layer at the end: {sat}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tot / len(Xtr), 4),
                                      "target_var": round(float(yva.var()), 4), "saturated_frac_max": max(sat)}))
