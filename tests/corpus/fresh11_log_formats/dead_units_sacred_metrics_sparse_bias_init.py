# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: planted (hidden biases -3): fraction of hidden ReLUs that never fire on the 397 val images is 0.07/0.79/0.96 (layers 1-3) at init and still 0.06/0.47/0.41 after 15 epochs; val loss 2.306 -> 2.184, val acc 0.078-0.149 (chance 0.10), train loss 2.171. Control (biases 0): never-firing 0/0/0 at init, 0/0/0.02 at the end, val acc 0.965, val loss 0.111
# control: --control
# native-log: runs/3/metrics.json
# log-expect:
# log-allow: non_convergence, high_bias
"""ReLU MLP on digits with a 'sparse activations' config: every hidden bias initialised to -3.

The config option `hidden_bias_init = -3.0` was meant to make a few units fire per input; with
standardised inputs and Kaiming weights the pre-activations have std ~1.4, so at init most ReLUs of
the 2nd and 3rd hidden layer output zero for every input, get no gradient, and many never recover.  The run is tracked
Sacred-style: runs/3/metrics.json ({"training.loss": {"steps", "timestamps", "values"},
"validation.loss", "validation.accuracy", "lr"}) plus config.json.  The fraction of hidden units
that never fire on the validation set is measured and printed (it is not in the log).
--control initialises the hidden biases to 0; nothing else changes.
"""
import datetime
import json
import os
import random
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1)
SEED = 23
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sacred_dead_")
RUN = os.path.join(LOG_DIR, "runs", "3")
os.makedirs(RUN, exist_ok=True)

X, y = load_digits(return_X_y=True)
perm = np.random.RandomState(1).permutation(len(X))
X, y = X[perm], y[perm]
mu, sd = X[:1400].mean(0), X[:1400].std(0) + 1e-6
X = (X - mu) / sd
Xtr, ytr = torch.tensor(X[:1400], dtype=torch.float32), torch.tensor(y[:1400])
Xva, yva = torch.tensor(X[1400:], dtype=torch.float32), torch.tensor(y[1400:])

config = {"hidden": [128, 128, 128], "hidden_bias_init": 0.0 if CONTROL else -3.0, "lr": 1e-3, "epochs": 15,
          "batch_size": 64, "seed": SEED}
hidden = []
d = 64
for h in config["hidden"]:
    lin = nn.Linear(d, h)
    nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
    nn.init.constant_(lin.bias, config["hidden_bias_init"])
    hidden.append(lin)
    d = h
head = nn.Linear(d, 10)
params = [p for l in hidden for p in l.parameters()] + list(head.parameters())
opt = torch.optim.Adam(params, lr=config["lr"])


def forward(x, record=None):
    for lin in hidden:
        x = F.relu(lin(x))
        if record is not None:
            record.append(x)
    return head(x)


def dead_fraction():
    acts = []
    with torch.no_grad():
        forward(Xva, acts)
    return [round(((a > 0).sum(0) == 0).float().mean().item(), 3) for a in acts]


print("never-firing fraction per hidden layer at init:", dead_fraction())
metrics = {}
t0 = datetime.datetime(2024, 6, 11, 14, 0, 0)


def log_scalar(name, value, step):
    m = metrics.setdefault(name, {"steps": [], "timestamps": [], "values": []})
    m["steps"].append(step)
    m["timestamps"].append((t0 + datetime.timedelta(seconds=0.2 * step)).isoformat())
    m["values"].append(value)


step = 0
for epoch in range(config["epochs"]):
    p = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), config["batch_size"]):
        b = p[i:i + config["batch_size"]]
        loss = F.cross_entropy(forward(Xtr[b]), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 10 == 0:
            log_scalar("training.loss", loss.item(), step)
        step += 1
    with torch.no_grad():
        out = forward(Xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    log_scalar("validation.loss", vl, step)
    log_scalar("validation.accuracy", va, step)
    log_scalar("lr", opt.param_groups[0]["lr"], step)
    if epoch % 3 == 2 or epoch == 0:
        print(f"epoch {epoch + 1:2d} val loss {vl:.4f} val acc {va:.4f}")

with open(os.path.join(RUN, "metrics.json"), "w") as f:
    json.dump(metrics, f)
with open(os.path.join(RUN, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
dead = dead_fraction()
print("never-firing fraction per hidden layer at the end:", dead)
with torch.no_grad():
    tl = F.cross_entropy(forward(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "chance_acc": 0.1, "dead_frac_per_layer": dead}))
