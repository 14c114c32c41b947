# expect:
# allow:
# forbid: *
# evidence: val_acc 0.971, val_loss 0.071 (majority 0.385); regression head val_mse 0.059 vs target var 0.553; per-micro-batch loss very noisy by design
"""Multi-task model (shared trunk, a 3-class head and a regression head, loss = CE + 0.3 * MSE)
trained with micro-batches of 4 and gradient accumulation over 8 micro-batches (effective
batch 32), SGD with Nesterov momentum under a OneCycle lr schedule. The per-micro-batch loss
is very noisy (4 samples), which is expected; the held-out metrics are what count.
"""
import json

import torch
from torch import nn
from torch.nn import functional as F


def make_data(n, g, w):
    x = torch.randn(n, 10, generator=g)
    h = torch.tanh(x @ w)
    y_cls = (h[:, 0] > 0.3).long() + (h[:, 1] > 0.0).long()
    y_reg = h[:, 2] + 0.5 * h[:, 3] ** 2 + 0.1 * torch.randn(n, generator=g)
    return x, y_cls, y_reg


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.cls = nn.Linear(64, 3)
        self.reg = nn.Linear(64, 1)

    def forward(self, x):
        h = self.trunk(x)
        return self.cls(h), self.reg(h).squeeze(1)


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w = torch.randn(10, 4, generator=g) / 2
    xtr, ctr, rtr = make_data(2048, g, w)
    xva, cva, rva = make_data(1000, g, w)
    model = Net()
    micro, accum, epochs = 4, 8, 6
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=epochs * len(xtr) // (micro * accum))
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        opt.zero_grad()
        for k, i in enumerate(range(0, len(xtr), micro)):
            idx = perm[i:i + micro]
            lc, lr_ = model(xtr[idx])
            loss = F.cross_entropy(lc, ctr[idx]) + 0.3 * F.mse_loss(lr_, rtr[idx])
            (loss / accum).backward()
            if (k + 1) % accum == 0:
                opt.step()
                sched.step()
                opt.zero_grad()
        model.eval()
        with torch.no_grad():
            lc, lr_ = model(xva)
        print(f"epoch {epoch} last_micro_loss {loss.item():.4f} val_acc {(lc.argmax(1) == cva).float().mean().item():.4f} "
              f"val_mse {F.mse_loss(lr_, rva).item():.4f}")
    model.eval()
    with torch.no_grad():
        lc, lr_ = model(xva)
        tc, tr_ = model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_acc": round((lc.argmax(1) == cva).float().mean().item(), 4),
        "val_loss": round(F.cross_entropy(lc, cva).item(), 4),
        "train_loss": round(F.cross_entropy(tc, ctr).item(), 4),
        "val_mse": round(F.mse_loss(lr_, rva).item(), 4),
        "target_var": round(rva.var().item(), 4), "noise_var": 0.01,
        "chance_acc": round(torch.bincount(cva).max().item() / len(cva), 4),
    }))


if __name__ == "__main__":
    main()
