# expect: vanishing_gradients
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (skip dropped): val_acc 0.191 (chance 0.20), val_loss 1.611, first-block grad ~1e-4 vs last ~7e-2 (median ratio 0.0026); control (skip restored): val_acc 0.904, val_loss 0.276, ratio 1.37
# control: --control
"""A 'residual' MLP of 16 tanh blocks, run with gradient checkpointing (torch.utils.checkpoint)
to save memory, trained with SGD+momentum on a 5-class synthetic problem. The block's forward
has a bug: it returns self.f(x) instead of x + self.f(x), so the network is a plain 16-layer tanh
stack with PyTorch's default (small) init. The signal and the gradients shrink layer after
layer; the first blocks receive gradients orders of magnitude smaller than the last ones and
barely move. --control restores the identity skip (x + self.f(x)); nothing else changes.
A probe prints the gradient norm of the first and last block.
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.checkpoint import checkpoint


class Block(nn.Module):
    def __init__(self, d, skip):
        super().__init__()
        self.f = nn.Sequential(nn.Linear(d, d), nn.Tanh())
        self.skip = skip

    def forward(self, x):
        if self.skip:
            return x + self.f(x)
        return self.f(x)  # bug: the skip connection was dropped


class Net(nn.Module):
    def __init__(self, d_in, d, n_cls, depth, skip):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.blocks = nn.ModuleList([Block(d, skip) for _ in range(depth)])
        self.out = nn.Linear(d, n_cls)

    def forward(self, x):
        h = self.inp(x)
        for b in self.blocks:
            h = checkpoint(b, h, use_reentrant=False) if self.training else b(h)
        return self.out(h)


def make_data(n, g, centers):
    y = torch.randint(0, centers.shape[0], (n,), generator=g)
    x = centers[y] + 0.9 * torch.randn(n, centers.shape[1], generator=g)
    x = torch.cat([x, torch.sin(2 * x[:, :4])], 1)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    centers = torch.randn(5, 20, generator=g) * 0.6
    xtr, ytr = make_data(2000, g, centers)
    xva, yva = make_data(1000, g, centers)
    model = Net(24, 64, 5, 16, skip=args.control)
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    ratios = []
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            g_first = model.blocks[0].f[0].weight.grad.norm().item()
            g_last = model.blocks[-1].f[0].weight.grad.norm().item()
            ratios.append(g_first / max(g_last, 1e-30))
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = (model(xva).argmax(1) == yva).float().mean().item()
        print(f"epoch {epoch} loss {loss.item():.4f} grad_first {g_first:.2e} grad_last {g_last:.2e} val_acc {acc:.4f}")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": 0.2,
        "median_grad_ratio_first_over_last_block": float(f"{sorted(ratios)[len(ratios) // 2]:.3g}"),
    }))


if __name__ == "__main__":
    main()
