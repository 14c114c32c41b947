# expect:
# allow:
# forbid: *
# evidence: val_acc 0.922, val_loss 0.193 on moons noise=0.25 (an RBF SVC reference on the same split: 0.924), i.e. at the task's noise floor; train_loss 0.137
"""Residual MLP trained under CPU bfloat16 autocast with activation
checkpointing (torch.utils.checkpoint) on every residual block; the loss is
computed in float32 outside the autocast region."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint
from sklearn.datasets import make_moons

torch.manual_seed(9)
torch.set_num_threads(1)


class ResBlock(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class Net(nn.Module):
    def __init__(self, d=64, depth=6):
        super().__init__()
        self.inp = nn.Linear(2, d)
        self.blocks = nn.ModuleList(ResBlock(d) for _ in range(depth))
        self.head = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 1))

    def forward(self, x):
        h = self.inp(x)
        for blk in self.blocks:
            if self.training:
                h = checkpoint(blk, h, use_reentrant=False)
            else:
                h = blk(h)
        return self.head(h).squeeze(-1)


X, y = make_moons(n_samples=2500, noise=0.25, random_state=3)
X = torch.tensor(X, dtype=torch.float32)
X = (X - X.mean(0)) / X.std(0)
y = torch.tensor(y, dtype=torch.float32)
Xtr, ytr, Xva, yva = X[:2000], y[:2000], X[2000:], y[2000:]

net = Net()
opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=15 * 32)

for epoch in range(15):
    net.train()
    perm = torch.randperm(2000)
    tl = 0.0
    for i in range(0, 2000, 64):
        b = perm[i:i + 64]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = net(Xtr[b])
        loss = F.binary_cross_entropy_with_logits(logits.float(), ytr[b])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        tl += loss.item() * len(b)
    net.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        vlog = net(Xva).float()
    vl = F.binary_cross_entropy_with_logits(vlog, yva).item()
    va = ((vlog > 0).float() == yva).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tl / 2000:.4f} val_loss {vl:.4f} val_acc {va:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tl / 2000, 4), "chance_acc": 0.5}))
