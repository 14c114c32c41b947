# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.986 (chance 0.25), val_loss 0.076, grad norm stays 0.16-0.44
"""1-D signal classification (4 waveform types: sine / square / saw / noise bursts, 64 samples)
with a small Conv1d net, SGD(lr=0.01, momentum=0.9) plus a StepLR decay, organised as a tiny
Trainer class whose train_step zeroes the gradients first (set_to_none). Healthy twin of
exploding_gradients_missing_zero_grad.py.
"""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def waves(n, g):
    t = torch.linspace(0, 1, 64)
    y = torch.randint(0, 4, (n,), generator=g)
    f = 2 + 6 * torch.rand(n, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    s = torch.sin(2 * math.pi * f * t + ph)
    sq = torch.sign(s)
    saw = 2 * ((f * t + ph / (2 * math.pi)) % 1) - 1
    burst = torch.randn(n, 64, generator=g) * (torch.rand(n, 64, generator=g) < 0.2)
    x = torch.stack([s, sq, saw, burst], 1)[torch.arange(n), y]
    x = x + 0.3 * torch.randn(n, 64, generator=g)
    return x.unsqueeze(1), y


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 5, padding=2)
        self.c2 = nn.Conv1d(16, 32, 5, padding=2)
        self.fc = nn.Linear(32, 4)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.c1(x)), 2)
        x = F.relu(self.c2(x)).mean(-1)
        return self.fc(x)


class Trainer:
    def __init__(self, model):
        self.model = model
        self.opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, step_size=3, gamma=0.5)
        self.grad_norms = []

    def train_step(self, xb, yb):
        self.opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(self.model(xb), yb)
        loss.backward()
        gn = torch.sqrt(sum((p.grad ** 2).sum() for p in self.model.parameters())).item()
        self.grad_norms.append(gn)
        self.opt.step()
        return loss.item()

    @torch.no_grad()
    def evaluate(self, x, y):
        o = self.model(x)
        return F.cross_entropy(o, y).item(), (o.argmax(1) == y).float().mean().item()


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(2)
    xtr, ytr = waves(3000, g)
    xva, yva = waves(800, g)
    tr = Trainer(Net())
    for ep in range(8):
        perm = torch.randperm(len(xtr))
        ls = [tr.train_step(xtr[perm[i:i + 32]], ytr[perm[i:i + 32]]) for i in range(0, len(xtr), 32)]
        tr.sched.step()
        vl, va = tr.evaluate(xva, yva)
        print(f"epoch {ep+1} train_loss {sum(ls)/len(ls):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    gn = tr.grad_norms
    print(f"probe: .grad norm at steps 1/10/100/last = {gn[0]:.2e} / {gn[9]:.2e} / {gn[99]:.2e} / {gn[-1]:.2e}")
    tl, _ = tr.evaluate(xtr, ytr)
    def r(v):
        return round(v, 4) if math.isfinite(v) else None
    print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": r(va), "train_loss": r(tl), "chance_acc": 0.25}))


if __name__ == "__main__":
    main()
