# expect:
# forbid: *
# evidence: 12 pre-LN residual blocks, He init: val_acc 0.968 (chance 0.286), val_loss 0.279 -> 0.118, input-layer grad norm ~1 throughout
"""A 12-block deep MLP -- deep enough that a plain sigmoid stack would not train -- but built as
pre-LayerNorm residual blocks (x + W2 relu(W1 LN(x))), He-initialised, so gradients reach the
first layer at a healthy scale and it trains normally."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(11)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, d)
        self.fc2 = nn.Linear(d, d)
        nn.init.kaiming_normal_(self.fc1.weight, nonlinearity="relu")
        nn.init.zeros_(self.fc1.bias)
        nn.init.normal_(self.fc2.weight, std=0.02)
        nn.init.zeros_(self.fc2.bias)

    def forward(self, x):
        return x + self.fc2(F.relu(self.fc1(self.norm(x))))


class ResMLP(nn.Module):
    def __init__(self, d_in=10, d=32, blocks=12, n_out=4):
        super().__init__()
        self.inp = nn.Linear(d_in, d)
        self.blocks = nn.Sequential(*[Block(d) for _ in range(blocks)])
        self.out = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, n_out))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


gen = torch.Generator().manual_seed(5)
proj = torch.randn(10, 4, generator=gen)
proj = proj / proj.norm(dim=0)


def batch(n):
    x = torch.randn(n, 10, generator=gen)
    return x, (x @ proj).argmax(1)


Xtr, Ytr = batch(4000)
Xva, Yva = batch(1000)
model = ResMLP()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=6)
ce = nn.CrossEntropyLoss()

for epoch in range(6):
    model.train()
    perm = torch.randperm(len(Xtr))
    tot, nb, g_in = 0.0, 0, 0.0
    for i in range(0, len(Xtr), 100):
        b = perm[i:i + 100]
        loss = ce(model(Xtr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        g_in += model.inp.weight.grad.norm().item()
        opt.step()
        tot += loss.item()
        nb += 1
    sched.step()
    model.eval()
    with torch.no_grad():
        o = model(Xva)
        vl = ce(o, Yva).item()
        va = (o.argmax(1) == Yva).float().mean().item()
    print(f"epoch {epoch} loss {tot / nb:.4f} val_loss {vl:.4f} val_acc {va:.3f} input-layer grad norm {g_in / nb:.3e}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / nb, 4),
                                     "chance_acc": round(torch.bincount(Yva).max().item() / len(Yva), 4)}))
