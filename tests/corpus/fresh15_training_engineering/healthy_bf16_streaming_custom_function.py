"""bf16 autocast on CPU + an IterableDataset that streams batches + a custom autograd.Function
(a fused 'scaled swish' with a hand-written backward) + evaluation via torch.func.functional_call
with an averaged parameter dict (Polyak average of the last epoch's weights).

Streaming data: a fixed random 'teacher' labels Gaussian inputs on the fly (regression with
noise); every epoch draws fresh samples, the validation set is fixed.
"""
# expect:
# allow:
# forbid: *
# evidence: streamed teacher regression (tanh teacher, noise std 0.1 -> floor 0.010), bf16 autocast, AdamW 1e-2 cosine, 480 steps; functional_call with Polyak-averaged params: val_mse 0.0176 vs target var 0.523 (R2 0.966), train_mse 0.0172, val flat 0.0178-0.0176 over the last 2 epochs
import json, math, random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call
from torch.utils.data import DataLoader, IterableDataset

torch.set_num_threads(1)
random.seed(16); np.random.seed(16); torch.manual_seed(16)


@dataclass
class Config:
    d_in: int = 24
    batches_per_epoch: int = 60
    batch_size: int = 128
    epochs: int = 8
    lr: float = 1e-2
    noise: float = 0.1


cfg = Config()
g = torch.Generator().manual_seed(123)
W1 = torch.randn(cfg.d_in, 32, generator=g) / math.sqrt(cfg.d_in); W2 = 3 * torch.randn(32, 1, generator=g) / math.sqrt(32)


def teacher(x): return torch.tanh(0.5 * (x @ W1)) @ W2


class TeacherStream(IterableDataset):
    def __init__(self, n_batches, seed):
        self.n_batches, self.seed = n_batches, seed

    def __iter__(self):
        gen = torch.Generator().manual_seed(self.seed)
        for _ in range(self.n_batches):
            x = torch.randn(cfg.batch_size, cfg.d_in, generator=gen)
            yield x, teacher(x) + cfg.noise * torch.randn(cfg.batch_size, 1, generator=gen)


class ScaledSwishFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        s = torch.sigmoid(beta * x); ctx.save_for_backward(x, s); ctx.beta = beta
        return x * s

    @staticmethod
    def backward(ctx, go):
        x, s = ctx.saved_tensors
        return go * (s + ctx.beta * x * s * (1 - s)), None


class Swish(nn.Module):
    def forward(self, x): return ScaledSwishFn.apply(x, 1.5)


model = nn.Sequential(nn.Linear(cfg.d_in, 128), Swish(), nn.Linear(128, 128), Swish(), nn.Linear(128, 1))
opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.epochs * cfg.batches_per_epoch)
gv = torch.Generator().manual_seed(999)
Xva = torch.randn(2000, cfg.d_in, generator=gv); yva = teacher(Xva) + cfg.noise * torch.randn(2000, 1, generator=gv)
target_var = yva.var().item()

avg_params = None
for epoch in range(cfg.epochs):
    loader = DataLoader(TeacherStream(cfg.batches_per_epoch, seed=epoch), batch_size=None)
    tot, n = 0.0, 0
    for k, (xb, yb) in enumerate(loader):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            pred = model(xb)
        loss = F.mse_loss(pred.float(), yb)
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tot += loss.item(); n += 1
        if epoch == cfg.epochs - 1:   # Polyak-average the last epoch
            cur = {k2: v.detach().clone() for k2, v in model.named_parameters()}
            avg_params = cur if avg_params is None else {k2: avg_params[k2] + (cur[k2] - avg_params[k2]) / (k + 1) for k2 in cur}
    with torch.no_grad():
        vl = F.mse_loss(model(Xva), yva).item()
    print(f"epoch {epoch} stream train_mse {tot / n:.4f} val_mse {vl:.4f} (target var {target_var:.3f})")

with torch.no_grad():
    vl_avg = F.mse_loss(functional_call(model, avg_params, (Xva,)), yva).item()
print(f"functional_call with averaged params: val_mse {vl_avg:.4f} (raw {vl:.4f}, noise floor {cfg.noise ** 2:.4f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl_avg, 4), "target_var": round(target_var, 4), "raw_val_mse": round(vl, 4),
                                     "train_mse": round(tot / n, 4), "noise_floor_mse": cfg.noise ** 2}))
