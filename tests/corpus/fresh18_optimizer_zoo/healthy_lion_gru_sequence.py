"""GRU classifier on synthetic sequences (is the running sum of channel 0 over 30 steps positive?)
trained with a hand-written Lion optimiser (sign of an interpolated momentum, decoupled weight decay),
subclassing torch.optim.Optimizer, with a linear warmup + cosine LambdaLR. Lion's update has the same
magnitude lr for every weight regardless of the gradient size -- that is how it is meant to work."""
# expect:
# allow:
# forbid: *
# evidence: hand-written Lion lr 1e-3 (warmup 30 steps + cosine to 0), wd 0.1: val_acc 0.960 (chance 0.50), val_loss 0.121, train_loss 0.130; val loss falls monotonically after epoch 0 while lr anneals to 0
import os, json, math, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

class Lion(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))
    @torch.no_grad()
    def step(self, closure=None):
        for g in self.param_groups:
            b1, b2 = g["betas"]
            for p in g["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if "exp_avg" not in st:
                    st["exp_avg"] = torch.zeros_like(p)
                m = st["exp_avg"]
                p.mul_(1 - g["lr"] * g["weight_decay"])
                p.add_(torch.sign(m * b1 + p.grad * (1 - b1)), alpha=-g["lr"])
                m.mul_(b2).add_(p.grad, alpha=1 - b2)

T = 30
def make(n):
    x = torch.randn(n, T, 2)
    return x, (x[:, :, 0].sum(1) > 0).long()
Xtr, ytr = make(1000); Xva, yva = make(500)

class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.rnn = nn.GRU(2, 32, batch_first=True); self.fc = nn.Linear(32, 2)
    def forward(self, x):
        return self.fc(self.rnn(x)[0][:, -1])

model = Net()
EPOCHS, BS = 10, 32
total = EPOCHS * math.ceil(len(Xtr) / BS); warm = 30
opt = Lion(model.parameters(), lr=1e-3, weight_decay=0.1)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / (total - warm))))
for epoch in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx]); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tot += loss.item() * len(idx)
    tr = tot / len(Xtr)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} lr {opt.param_groups[0]['lr']:.2e} train_loss {tr:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tr, 4), "chance_acc": 0.5}))
