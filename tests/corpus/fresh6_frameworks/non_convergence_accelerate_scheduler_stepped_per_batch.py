# expect: non_convergence
# allow: learning_rate_too_low, high_bias
# forbid: *
# evidence: planted (StepLR gamma 0.7 stepped every batch): lr < 1e-5 after ~40 batches, train loss stuck at 1.39 (ln4), val_acc 0.107 (chance 0.25); control (stepped per epoch): val_acc 0.972, val_loss 0.115
# control: --control
# native-log: tb/signals_run
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""accelerate training loop (Accelerator(log_with="tensorboard"), prepare, backward) for a small 1-d
CNN on synthetic signals (4 waveform classes). The StepLR(step_size=1, gamma=0.7) schedule was meant
to decay the lr once per EPOCH, but sched.step() sits inside the batch loop: after ~40 batches the lr
is ~1e-6 of its start value and the loss freezes far above where it should be.
--control: sched.step() once per epoch (nothing else changes)."""
import os
import sys
import json
import math
import tempfile
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
set_seed(6)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="accnc_")
PER_EPOCH = "--control" in sys.argv
T = 64


def signals(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float()[None, :]
    f = torch.rand(n, 1, generator=g) * 0.08 + 0.04
    arg = 2 * math.pi * f * t + torch.rand(n, 1, generator=g) * 2 * math.pi
    waves = torch.stack([torch.sin(arg), torch.sign(torch.sin(arg)), 2 * ((arg / (2 * math.pi)) % 1.0) - 1,
                         torch.sin(arg) * torch.sin(arg / 4)], 1)
    x = waves[torch.arange(n), y] + 0.4 * torch.randn(n, T, generator=g)
    return x[:, None, :], y


g = torch.Generator().manual_seed(6)
Xtr, Ytr = signals(2400, g)
Xva, Yva = signals(600, g)

accelerator = Accelerator(log_with="tensorboard", project_dir=os.path.join(LOG_DIR, "tb"), cpu=True)
accelerator.init_trackers("signals_run")
model = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                      nn.Flatten(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
train_dl = DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True)
model, opt, train_dl = accelerator.prepare(model, opt, train_dl)

step = 0
for epoch in range(6):
    model.train()
    for x, y in train_dl:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        accelerator.backward(loss)
        opt.step()
        if not PER_EPOCH:
            sched.step()
        step += 1
        if step % 10 == 0:
            accelerator.log({"train_loss": loss.item(), "lr": opt.param_groups[0]["lr"]}, step=step)
    if PER_EPOCH:
        sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        val_loss, val_acc = F.cross_entropy(out, Yva).item(), (out.argmax(1) == Yva).float().mean().item()
    accelerator.log({"val_loss": val_loss, "val_acc": val_acc}, step=step)

accelerator.end_training()
with torch.no_grad():
    tr_loss = F.cross_entropy(model(Xtr), Ytr).item()
print(f"final lr {opt.param_groups[0]['lr']:.3g}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tr_loss, 4), "chance_acc": 0.25}))
