# expect:
# allow:
# forbid: *
# evidence: val_mse 0.119 vs target_var 1.18 (R^2 0.90; discontinuity at x0=0), train_mse 0.099; all 4 experts used (0.21-0.27)
"""Mixture-of-experts (softmax gate over 4 small MLP experts, dense mixing, load-balancing entropy bonus)
on a piecewise regression problem where each half-space (sign of x0) follows a different function."""
import json
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Cfg:
    n_experts: int = 4
    d_in: int = 6
    hidden: int = 32
    lr: float = 3e-3
    epochs: int = 30
    bs: int = 64
    balance_w: float = 0.01


def target_fn(x):
    left = torch.sin(2 * x[:, 2]) + 0.5 * x[:, 3]
    right = 0.5 * x[:, 4] ** 2 - x[:, 5]
    return torch.where(x[:, 0] > 0, right, left)


class MoE(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate = nn.Linear(c.d_in, c.n_experts)
        self.experts = nn.ModuleList(
            nn.Sequential(nn.Linear(c.d_in, c.hidden), nn.SiLU(), nn.Linear(c.hidden, c.hidden), nn.SiLU(), nn.Linear(c.hidden, 1))
            for _ in range(c.n_experts))

    def forward(self, x):
        w = F.softmax(self.gate(x), dim=-1)
        y = torch.cat([e(x) for e in self.experts], dim=-1)
        return (w * y).sum(-1), w


def main(c=Cfg()):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    Xtr = torch.randn(3000, c.d_in, generator=g); Ytr = target_fn(Xtr) + 0.05 * torch.randn(3000, generator=g)
    Xva = torch.randn(1000, c.d_in, generator=g); Yva = target_fn(Xva) + 0.05 * torch.randn(1000, generator=g)
    model = MoE(c)
    opt = torch.optim.Adam(model.parameters(), lr=c.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, c.epochs)
    for ep in range(c.epochs):
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(Xtr), c.bs):
            b = perm[i:i + c.bs]
            pred, w = model(Xtr[b])
            usage = w.mean(0)
            balance = (usage * usage.clamp_min(1e-8).log()).sum()  # negative entropy of average routing
            loss = F.mse_loss(pred, Ytr[b]) + c.balance_w * balance
            opt.zero_grad(); loss.backward(); opt.step()
        sched.step()
        if ep % 5 == 4:
            with torch.no_grad():
                pv, wv = model(Xva)
                vm = F.mse_loss(pv, Yva).item()
                tm = F.mse_loss(model(Xtr)[0], Ytr).item()
            print(f"ep {ep + 1} train_mse {tm:.4f} val_mse {vm:.4f} expert usage {[round(u, 2) for u in wv.mean(0).tolist()]}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5), "train_mse": round(tm, 5), "target_var": round(Yva.var().item(), 5),
                                          "val_loss": round(vm, 5), "train_loss": round(tm, 5)}))


if __name__ == "__main__":
    main()
