# expect:
# allow:
# forbid: *
# evidence: val_acc 0.925 (chance 0.25), val_loss 0.44 after 12 epochs; train_loss (mixup, 0.76) stays above val_loss by construction of mixup, and epoch-to-epoch jumps come from the per-batch Beta(0.4,0.4) mixing weight
"""Count the Gaussian blobs (1..4) on a 16x16 canvas with a tiny ResNet (two stages of
basic blocks with identity / 1x1-projection skips, GroupNorm instead of BatchNorm).
Mixup (alpha=0.4) is applied in the training loop, so the reported train loss is the mixed loss
and sits well above the val loss - that is expected. SGD nesterov, 2-epoch LinearLR warm-up,
then cosine decay, chained with SequentialLR (stepped per epoch)."""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(5)
rng = np.random.default_rng(5)
S = 16


def blobs(n, rng):
    ys = rng.integers(0, 4, n)
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    out = np.zeros((n, S, S), np.float32)
    for i, k in enumerate(ys):
        centers = []
        while len(centers) < k + 1:  # keep blobs apart so the count is well defined
            c = rng.uniform(2, S - 2, 2)
            if all(np.hypot(*(c - d)) > 4.5 for d in centers):
                centers.append(c)
        for cx, cy in centers:
            s = rng.uniform(1.1, 1.5)
            out[i] += rng.uniform(0.9, 1.1) * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * s * s))
    out += rng.normal(0, 0.12, out.shape)
    return torch.from_numpy(out[:, None]), torch.from_numpy(ys).long()


Xtr, Ytr = blobs(1600, rng)
Xva, Yva = blobs(600, rng)
m, s = Xtr.mean(), Xtr.std()
Xtr, Xva = (Xtr - m) / s, (Xva - m) / s


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.n1 = nn.GroupNorm(4, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.n2 = nn.GroupNorm(4, cout)
        self.short = nn.Identity() if (cin == cout and stride == 1) else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.GroupNorm(4, cout))

    def forward(self, x):
        h = F.relu(self.n1(self.c1(x)))
        h = self.n2(self.c2(h))
        return F.relu(h + self.short(x))


class TinyResNet(nn.Module):
    def __init__(self, n_cls=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.GroupNorm(4, 16), nn.ReLU())
        self.layer1 = BasicBlock(16, 16)
        self.layer2 = BasicBlock(16, 32, stride=2)
        self.fc = nn.Linear(32, n_cls)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        return self.fc(x.mean((2, 3)))


def train_one_epoch(model, opt, bs=64, alpha=0.4):
    model.train()
    perm = torch.randperm(len(Ytr))
    total = 0.0
    for i in range(0, len(perm), bs):
        idx = perm[i:i + bs]
        x, y = Xtr[idx], Ytr[idx]
        lam = float(np.random.default_rng(int(torch.randint(0, 2**31, (1,)))).beta(alpha, alpha))
        j = torch.randperm(len(idx))
        x = lam * x + (1 - lam) * x[j]
        out = model(x)
        loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    return {"train_loss": total / len(perm), "lr": opt.param_groups[0]["lr"]}


@torch.no_grad()
def evaluate(model):
    model.eval()
    out = model(Xva)
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (out.argmax(1) == Yva).float().mean().item()}


EPOCHS = 12
model = TinyResNet()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.SequentialLR(opt, [
    torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2),
    torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS - 2, eta_min=1e-4)], milestones=[2])

for ep in range(EPOCHS):
    log = train_one_epoch(model, opt)
    log.update(evaluate(model))
    sched.step()
    print(f"ep{ep:02d} " + "  ".join(f"{k} {v:.4f}" for k, v in log.items()))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(log["val_loss"], 4), "val_acc": round(log["val_acc"], 4),
                                      "train_loss": round(log["train_loss"], 4), "chance_acc": 0.25}))
