"""accelerate loop on a concentric-rings problem (plus one weak linear score) embedded in 8-D. The planted model is a
linear classifier (someone switched the model factory to the "baseline" entry): the classes are
not linearly separable, so even the training error stays far above what a small MLP reaches.
Adam, cosine schedule, TensorBoard tracker in $CORPUS_LOG_DIR/acc_tb.

--control builds the 2x64 MLP entry of the same factory.
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (2x64 MLP) train_acc 0.996 / train_loss 0.012 / val_acc 0.989; planted (linear) train_acc 0.70, train_loss 0.57, val_acc 0.72 (chance 0.5): train error ~30% vs <1% reachable
# control: --control
# native-log: acc_tb
# log-expect: high_bias
# log-allow: non_convergence
import argparse
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


def rings(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    r = torch.where(y == 1, 2.6, 1.0) + 0.25 * torch.randn(n, generator=g)
    th = 2 * math.pi * torch.rand(n, generator=g)
    xy = torch.stack([r * torch.cos(th), r * torch.sin(th)], 1)
    xy[:, 0] += 0.6 * y
    # a weak, linearly usable signal (e.g. a noisy score from an upstream system)
    score = (2 * y - 1) * 0.5 + torch.randn(n, generator=g)
    feats = torch.cat([xy, score[:, None]], 1)
    # embed in 8 dims with a fixed random rotation + small noise dims
    proj = torch.linalg.qr(torch.randn(8, 8, generator=torch.Generator().manual_seed(9)))[0][:, :3]
    x = feats @ proj.T + 0.05 * torch.randn(n, 8, generator=g)
    return x, y.float()


def model_factory(kind):
    if kind == "baseline":
        return nn.Linear(8, 1)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
cfg = p.parse_args()
torch.manual_seed(0)
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
accelerator = Accelerator(cpu=True, log_with="tensorboard", project_dir=logdir)
accelerator.init_trackers("acc_tb")
xtr, ytr = rings(2500, 0)
xva, yva = rings(800, 1)
net = model_factory("mlp" if cfg.control else "baseline")
optim = torch.optim.Adam(net.parameters(), lr=3e-3)
EPOCHS = 10
loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(optim, T_max=EPOCHS * len(loader))
net, optim, loader, sched = accelerator.prepare(net, optim, loader, sched)
bce = nn.BCEWithLogitsLoss()
gstep = 0
for ep in range(EPOCHS):
    for xb, yb in loader:
        optim.zero_grad()
        loss = bce(net(xb).squeeze(1), yb)
        accelerator.backward(loss)
        optim.step()
        sched.step()
        gstep += 1
        if gstep % 10 == 0:
            accelerator.log({"train_loss": loss.item(), "lr": sched.get_last_lr()[0]}, step=gstep)
    with torch.no_grad():
        lv = net(xva).squeeze(1)
        lt = net(xtr).squeeze(1)
    metrics = {"val_loss": bce(lv, yva).item(), "val_acc": ((lv > 0).float() == yva).float().mean().item(),
               "train_acc": ((lt > 0).float() == ytr).float().mean().item(), "train_loss_full": bce(lt, ytr).item()}
    accelerator.log(metrics, step=gstep)
accelerator.end_training()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(metrics["val_loss"], 4), "val_acc": round(metrics["val_acc"], 4),
                                     "train_loss": round(metrics["train_loss_full"], 4),
                                     "train_acc": round(metrics["train_acc"], 4), "chance_acc": 0.5}))
