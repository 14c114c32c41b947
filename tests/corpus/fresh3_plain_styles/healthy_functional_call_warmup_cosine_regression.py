# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0128 vs target var 1.195 and noise var 0.01 (R^2 ~0.99); train_mse 0.0112
"""Regression with a functional training loop: parameters live in a plain dict and the model is
evaluated with torch.func.functional_call; gradients come from torch.autograd.grad and the AdamW
update is applied by torch.optim.AdamW over the dict values. Linear warm-up (10% of steps) then
cosine decay, gradient-norm clipping at 1.0 (a safety net, rarely active). Target: smooth
nonlinear function of 8 inputs plus noise (noise var 0.01).
"""
import json
import math

import torch
from torch import nn
from torch.func import functional_call
from torch.nn import functional as F


def make_data(n, g):
    x = torch.randn(n, 8, generator=g)
    y = torch.sin(x[:, 0]) + 0.5 * x[:, 1] * x[:, 2] + torch.tanh(x[:, 3] - x[:, 4]) + 0.1 * torch.randn(n, generator=g)
    return x, y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_data(4000, g)
    xva, yva = make_data(1000, g)
    net = nn.Sequential(nn.Linear(8, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, 1))
    params = {k: v.detach().clone().requires_grad_() for k, v in net.named_parameters()}
    opt = torch.optim.AdamW(params.values(), lr=3e-3, weight_decay=1e-4)
    epochs, bs = 18, 64
    total = epochs * math.ceil(len(xtr) / bs)
    warm = total // 10
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))

    def predict(p, x):
        return functional_call(net, p, (x,)).squeeze(1)

    for epoch in range(epochs):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), bs):
            idx = perm[i:i + bs]
            loss = F.mse_loss(predict(params, xtr[idx]), ytr[idx])
            grads = torch.autograd.grad(loss, list(params.values()))
            for p, gr in zip(params.values(), grads):
                p.grad = gr
            torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
            opt.step()
            sched.step()
        with torch.no_grad():
            vm = F.mse_loss(predict(params, xva), yva).item()
        print(f"epoch {epoch} loss {loss.item():.4f} val_mse {vm:.4f} lr {sched.get_last_lr()[0]:.2e}")
    with torch.no_grad():
        vm = F.mse_loss(predict(params, xva), yva).item()
        tm = F.mse_loss(predict(params, xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4),
                                         "target_var": round(yva.var().item(), 4), "noise_var": 0.01}))


if __name__ == "__main__":
    main()
