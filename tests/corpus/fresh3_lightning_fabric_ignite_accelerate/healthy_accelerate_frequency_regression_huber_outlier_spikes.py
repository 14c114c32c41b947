# expect:
# allow:
# forbid: *
# evidence: val_mse 0.021 vs target variance 0.978 (R^2 0.978); train-loss spikes on outlier batches recover immediately
# native-log: freq_log.jsonl
# log-expect:
# log-allow:
"""Regression on 1-D signals: estimate the (standardised) frequency of a noisy 100-sample
damped sinusoid with random phase/amplitude. 0.5% of the training labels are corrupted by large
outliers (a mis-calibrated logger), so individual batches that contain one produce sharp spikes in
the per-step training loss; Huber loss (delta 1) keeps them from derailing training and the loss
returns to its trend right after each spike. accelerate loop with
Accelerator(gradient_accumulation_steps=2) + `with accelerator.accumulate(model)`, AdamW with a
linear warm-up then step decay (LambdaLR, stepped per optimizer step). Per-step JSONL log
(own file; no tracker). Validation labels are clean.
"""
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from accelerate import Accelerator
from accelerate.utils import set_seed

warnings.filterwarnings("ignore")
L = 100


def signals(n, g, outlier_frac=0.0):
    f = 2 + 10 * torch.rand(n, generator=g)
    t = torch.arange(L).float()[None] / L
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    amp = 0.5 + torch.rand(n, 1, generator=g)
    x = amp * torch.sin(2 * math.pi * f[:, None] * t + ph) * torch.exp(-t * 1.5) \
        + 0.25 * torch.randn(n, L, generator=g)
    y = (f - 7) / 2.9
    out = torch.rand(n, generator=g) < outlier_frac
    y = torch.where(out, y + 15 * torch.randn(n, generator=g).sign() * (1 + torch.rand(n, generator=g)), y)
    return x[:, None], y[:, None]


def main():
    torch.set_num_threads(1)
    set_seed(97)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="freq_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(97)
    xtr, ytr = signals(2400, g, outlier_frac=0.005)
    xva, yva = signals(800, g)
    accelerator = Accelerator(cpu=True, gradient_accumulation_steps=2)
    model = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(16, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                          nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                          nn.Flatten(), nn.Linear(32, 1))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    epochs, bs = 8, 32
    opt_steps = epochs * math.ceil(2400 / bs) // 2
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 30) * (0.3 if s > 0.6 * opt_steps else 1.0))
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=bs, shuffle=True)
    model, opt, dl, sched = accelerator.prepare(model, opt, dl, sched)
    step = 0
    with open(os.path.join(log_dir, "freq_log.jsonl"), "w") as log:
        for epoch in range(epochs):
            model.train()
            for x, y in dl:
                with accelerator.accumulate(model):
                    loss = F.huber_loss(model(x), y, delta=1.0)
                    accelerator.backward(loss)
                    opt.step()
                    sched.step()
                    opt.zero_grad()
                if step % 3 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch, "train_loss": round(loss.item(), 5),
                                          "lr": opt.param_groups[0]["lr"]}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            log.write(json.dumps({"step": step, "epoch": epoch,
                                  "val_loss": round(F.huber_loss(pv, yva).item(), 5),
                                  "val_mse": round(F.mse_loss(pv, yva).item(), 5)}) + "\n")
    model.eval()
    with torch.no_grad():
        pv = model(xva)
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(F.mse_loss(pv, yva).item(), 4),
        "val_huber": round(F.huber_loss(pv, yva).item(), 4),
        "target_var": round(yva.var().item(), 4),
        "r2": round(1 - F.mse_loss(pv, yva).item() / yva.var().item(), 4),
    }))


if __name__ == "__main__":
    main()
