# expect: vanishing_gradients
# allow: non_convergence, saturated_activations, poor_initialization, high_bias, learning_rate_too_low
# forbid: *
# evidence: control (ReLU, same He init) val_acc 0.97, val_loss 0.10; planted (sigmoid) first-step grad norm first/last linear 2.1e-6 / 0.28 (ratio 7.6e-6, vs 0.37 in control), loss stays at ln4=1.39, val_acc 0.285 (chance 0.25)
# control: --control
# native-log: wandb/offline-run-20261201_001030-v4n1sh8d
# log-expect: non_convergence
# log-allow: high_bias, learning_rate_too_low
"""Planted vanishing_gradients: a 12-layer, 64-wide MLP with sigmoid activations (He-normal
init, zero biases) trained with SGD momentum lr 0.01 on a 4-class tabular problem. The gradient
shrinks ~4x per sigmoid layer, so the first layer gets ~1e-5 of the last layer's gradient and
the loss stays at ln 4 for the whole run. Logged in the W&B offline layout written by hand
(files/wandb-history.jsonl with _step/_runtime/_timestamp, wandb-summary.json, config.yaml).
--control swaps nn.Sigmoid for nn.ReLU in the same 12-layer net (the only change)."""
import os, sys, json, time, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(14)
CONTROL = "--control" in sys.argv
ACT = nn.ReLU if CONTROL else nn.Sigmoid
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
RUN = os.path.join(LOGDIR, "wandb", "offline-run-20261201_001030-v4n1sh8d")
os.makedirs(os.path.join(RUN, "files"), exist_ok=True)
T0 = time.time(); summary = {}
hist = open(os.path.join(RUN, "files", "wandb-history.jsonl"), "w")
def wandb_log(d, step):
    row = dict(d); row.update({"_step": step, "_runtime": round(time.time() - T0, 3), "_timestamp": round(time.time(), 3)})
    hist.write(json.dumps(row) + "\n"); summary.update(row)
with open(os.path.join(RUN, "files", "config.yaml"), "w") as f:
    f.write("wandb_version: 1\n\n" + "".join(f"{k}:\n  desc: null\n  value: {v}\n" for k, v in {"depth": 12, "width": 64, "activation": ACT.__name__, "lr": 0.01, "optimizer": "sgd"}.items()))

rng = np.random.default_rng(14)
C, D = 4, 16
centers = rng.normal(0, 1.0, (C, D))
def make(n):
    y = rng.integers(0, C, n); x = centers[y] + rng.normal(0, 1.0, (n, D))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(3000); Xva, yva = make(800)
layers, d = [], D
for _ in range(12): layers += [nn.Linear(d, 64), ACT()]; d = 64
model = nn.Sequential(*layers, nn.Linear(64, C))
for m in model:
    if isinstance(m, nn.Linear): nn.init.kaiming_normal_(m.weight); nn.init.zeros_(m.bias)  # same He init in both runs
lin = [m for m in model if isinstance(m, nn.Linear)]
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
step = 0
for ep in range(10):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        if step == 0:
            g = [m.weight.grad.norm().item() for m in lin]
            print("probe first-step weight-grad norm, first/last linear layer: %.3g / %.3g (ratio %.2g)" % (g[0], g[-2], g[0] / g[-2]))
        opt.step(); step += 1
        if step % 10 == 0: wandb_log({"loss": loss.item()}, step)
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); vacc = (o.argmax(1) == yva).float().mean().item()
    wandb_log({"epoch": ep, "val_loss": vl, "val_acc": vacc}, step)
hist.close(); json.dump(summary, open(os.path.join(RUN, "files", "wandb-summary.json"), "w"))
with torch.no_grad(): tl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
