# expect:
# allow:
# forbid: *
# evidence: val_acc 0.923, val_loss 0.186, train_loss 0.186 (chance 0.218); the same script with AdamW(3e-3, wd 0.1) reaches 0.921 / 0.192
"""The Lion optimiser (Chen et al. 2023) written by hand as a torch.optim.Optimizer subclass:
update = sign(beta1*m + (1-beta1)*g), m = beta2*m + (1-beta2)*g, decoupled weight decay. As the
paper recommends, lr is 10x smaller than AdamW's (3e-4) and weight decay 10x larger (lambda=1.0,
i.e. strong). Task: 5-class classification of synthetic 'sensor' feature vectors (clusters seen through
24 noisy tanh sensors), cosine lr.
"""
import json
import math

import torch
from torch import nn
from torch.nn import functional as F


class Lion(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if "m" not in st:
                    st["m"] = torch.zeros_like(p)
                m = st["m"]
                p.mul_(1 - group["lr"] * group["weight_decay"])
                p.add_(torch.sign(m * b1 + p.grad * (1 - b1)), alpha=-group["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)


def make_data(n, g, w1, w2):
    # 5 "machine states", each a cluster in a 6-d latent space, seen through 24 nonlinear sensors
    y = torch.randint(0, 5, (n,), generator=g)
    z = w2[y] + 0.5 * torch.randn(n, 6, generator=g)
    x = torch.tanh(z @ w1) + 0.1 * torch.randn(n, 24, generator=g)
    return x, y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    w1, w2 = torch.randn(6, 24, generator=g) / 2, torch.randn(5, 6, generator=g)
    xtr, ytr = make_data(4000, g, w1, w2)
    xva, yva = make_data(1000, g, w1, w2)
    model = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 5))
    opt = Lion(model.parameters(), lr=3e-4, weight_decay=1.0)
    epochs = 15
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * math.ceil(len(xtr) / 64))
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        print(f"epoch {epoch} loss {loss.item():.4f} val_loss {F.cross_entropy(lv, yva).item():.4f} "
              f"val_acc {(lv.argmax(1) == yva).float().mean().item():.4f}")
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
    }))


if __name__ == "__main__":
    main()
