# expect: poor_initialization
# allow: saturated_activations, vanishing_gradients, overfitting, high_variance
# forbid: *
# evidence: planted (every parameter ~ N(0,1)) 84% of last-hidden tanh units at |h|>0.99 (probe), train_loss 0.045 but val_loss 0.345, val_acc 0.929; control (default nn.Linear init) 7% saturated, train_loss 0.135, val_loss 0.152, val_acc 0.947 (chance 0.333)
# control: --control
"""Functional training step: parameters live in a dict, the loss is computed with
torch.func.functional_call and differentiated with torch.func.grad_and_value; the optimizer
(Adam) is a pure function over pytrees. Task: 3-arm spiral classification."""
import json
import math
import sys
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad_and_value


@dataclass
class Config:
    hidden: int = 128
    depth: int = 3
    lr: float = 3e-3
    b1: float = 0.9
    b2: float = 0.999
    eps: float = 1e-8
    steps: int = 1100
    batch: int = 128
    seed: int = 0


def spirals(n, seed, noise=0.25):
    g = torch.Generator().manual_seed(seed)
    k = torch.randint(0, 3, (n,), generator=g)
    r = torch.rand(n, generator=g) * 3.0 + 0.3
    theta = r * 2.0 + k * (2 * math.pi / 3)
    x = torch.stack([r * torch.cos(theta), r * torch.sin(theta)], 1) + noise * torch.randn(n, 2, generator=g)
    return x, k


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dims = [2] + [cfg.hidden] * cfg.depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(cfg.hidden, 3)

    def forward(self, x):
        for lin in self.hidden:
            x = torch.tanh(lin(x))
        return self.out(x)


def loss_fn(params, buffers, model, x, y):
    logits = functional_call(model, (params, buffers), (x,))
    return F.cross_entropy(logits, y)


def adam_init(params):
    return {"t": 0, "m": {k: torch.zeros_like(v) for k, v in params.items()},
            "v": {k: torch.zeros_like(v) for k, v in params.items()}}


def adam_update(params, grads, state, cfg, lr):
    t = state["t"] + 1
    new_p, new_m, new_v = {}, {}, {}
    for k in params:
        m = cfg.b1 * state["m"][k] + (1 - cfg.b1) * grads[k]
        v = cfg.b2 * state["v"][k] + (1 - cfg.b2) * grads[k] ** 2
        mhat, vhat = m / (1 - cfg.b1 ** t), v / (1 - cfg.b2 ** t)
        new_p[k] = params[k] - lr * mhat / (vhat.sqrt() + cfg.eps)
        new_m[k], new_v[k] = m, v
    return new_p, {"t": t, "m": new_m, "v": new_v}


def train_step(params, opt_state, buffers, model, x, y, cfg, lr):
    grads, loss = grad_and_value(loss_fn)(params, buffers, model, x, y)
    params, opt_state = adam_update(params, grads, opt_state, cfg, lr)
    return params, opt_state, loss, grads


def evaluate(params, buffers, model, x, y):
    with torch.no_grad():
        logits = functional_call(model, (params, buffers), (x,))
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main(cfg=Config()):
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(1)
    xtr, ytr = spirals(3000, 1)
    xva, yva = spirals(1000, 2)
    model = MLP(cfg)
    # "jax-style" hand-rolled init: standard normal for every parameter
    if "--control" in sys.argv:
        params = {k: v.detach().clone() for k, v in model.named_parameters()}
    else:
        params = {k: torch.randn_like(v) for k, v in model.named_parameters()}
    buffers = {k: v for k, v in model.named_buffers()}
    opt_state = adam_init(params)
    g = torch.Generator().manual_seed(cfg.seed)
    for step in range(cfg.steps):
        lr = cfg.lr * 0.5 * (1 + math.cos(math.pi * step / cfg.steps))
        idx = torch.randint(0, len(xtr), (cfg.batch,), generator=g)
        params, opt_state, loss, grads = train_step(params, opt_state, buffers, model, xtr[idx], ytr[idx], cfg, lr)
        if step % 250 == 0 or step == cfg.steps - 1:
            gn = grads["hidden.0.weight"].norm().item()
            vl, va = evaluate(params, buffers, model, xva, yva)
            with torch.no_grad():
                h = xva
                for i in range(cfg.depth):
                    h = torch.tanh(F.linear(h, params[f"hidden.{i}.weight"], params[f"hidden.{i}.bias"]))
                sat = (h.abs() > 0.99).float().mean().item()
            print(f"step {step:5d} last-hidden |tanh|>0.99: {sat:.3f} loss {loss.item():.4f} |g_first| {gn:.2e} val_loss {vl:.4f} val_acc {va:.4f}")
    tl, ta = evaluate(params, buffers, model, xtr, ytr)
    vl, va = evaluate(params, buffers, model, xva, yva)
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": 0.3333}))


if __name__ == "__main__":
    main()
