# expect: dead_units
# allow: poor_initialization, high_bias, non_convergence
# forbid: *
# evidence: planted (trunk bias -1.0): layer-2 trunk units 100% never fire on val (layer 1 0%), val_acc 0.366 = majority 0.366, val_mse 2.909 = target var 2.905; control (default bias): 0% dead, val_acc 0.975, val_mse 0.076
# control: --control
"""Multi-task tabular model: a shared ReLU trunk with a classification head (3 classes) and a
regression head, trained on loss = CE + 0.5 * MSE with AdamW. Following a "sparse
representations" blog post, the author initialises every trunk bias to -1.0 so that "only a
few units fire". With standardised inputs and the default weight scale the pre-activations
are mostly below 1 in size, so the second trunk layer (and part of the first) outputs 0 for every example, get zero gradient and
never come back. --control keeps the default bias init (nothing else changes). A probe
reports the fraction of trunk units that never fire on the validation set.
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F


class MultiTask(nn.Module):
    def __init__(self, d_in, width, sparse_bias):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(d_in, width), nn.ReLU(),
                                   nn.Linear(width, width), nn.ReLU())
        self.cls_head = nn.Linear(width, 3)
        self.reg_head = nn.Linear(width, 1)
        if sparse_bias:
            for m in self.trunk:
                if isinstance(m, nn.Linear):
                    nn.init.constant_(m.bias, -1.0)

    def forward(self, x):
        h = self.trunk(x)
        return self.cls_head(h), self.reg_head(h).squeeze(1)


def make_data(n, g, w):
    x = torch.randn(n, 12, generator=g)
    z = torch.tanh(x @ w)
    y_cls = z[:, :3].argmax(1)
    y_reg = z[:, 3] * 2 + z[:, 4] * z[:, 5] + 0.1 * torch.randn(n, generator=g)
    return x, y_cls, y_reg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(12, 6, generator=g) * 0.6
    xtr, ctr, rtr = make_data(3000, g, w)
    xva, cva, rva = make_data(1000, g, w)
    model = MultiTask(12, 96, sparse_bias=not args.control)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    for epoch in range(20):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            lc, lr_ = model(xtr[idx])
            loss = F.cross_entropy(lc, ctr[idx]) + 0.5 * F.mse_loss(lr_, rtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            lc, lr_ = model(xva)
        print(f"epoch {epoch} loss {loss.item():.4f} val_acc {(lc.argmax(1) == cva).float().mean().item():.4f} "
              f"val_mse {F.mse_loss(lr_, rva).item():.4f}")
    model.eval()
    with torch.no_grad():
        lc, lr_ = model(xva)
        h1 = torch.relu(model.trunk[0](xva))
        h2 = model.trunk(xva)
        dead = torch.cat([(h1 > 0).sum(0) == 0, (h2 > 0).sum(0) == 0]).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({
        "val_acc": round((lc.argmax(1) == cva).float().mean().item(), 4),
        "val_loss": round(F.cross_entropy(lc, cva).item(), 4),
        "val_mse": round(F.mse_loss(lr_, rva).item(), 4),
        "target_var": round(rva.var().item(), 4),
        "chance_acc": round(torch.bincount(cva).max().item() / len(cva), 4),
        "dead_trunk_frac": round(dead, 4),
        "dead_layer1_frac": round(((h1 > 0).sum(0) == 0).float().mean().item(), 4),
        "dead_layer2_frac": round(((h2 > 0).sum(0) == 0).float().mean().item(), 4),
    }))


if __name__ == "__main__":
    main()
