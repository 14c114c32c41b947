# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (SGD-nesterov lr=0.05) val_acc 0.795, val_loss 0.477 (Bayes acc 0.819); planted (lr=2e-5) val_acc 0.340 = majority rate 0.340, val_loss 1.0966 vs ln3=1.0986 - loss moved 0.003 in 14 epochs
# control: --control
"""Loan-risk tier (3 classes) from 9 numeric columns plus two categorical columns
(employment type x6, state x30) embedded. MLP with BatchNorm-free ReLU trunk, SGD with Nesterov
momentum, LinearLR warm-up for 2 epochs then CosineAnnealingLR via SequentialLR.
Planted: base lr 2e-5 (a typo'd exponent); --control uses lr 0.05, nothing else changes."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(11)
rng = np.random.default_rng(11)

BASE_LR = 0.05 if "--control" in sys.argv else 2e-5
EPOCHS = 14
N_NUM, N_EMP, N_STATE = 9, 6, 30

W = rng.normal(0, 1, (N_NUM, 3))
emp_eff = rng.normal(0, 0.7, (N_EMP, 3))
state_eff = rng.normal(0, 0.5, (N_STATE, 3))


def sample(n, rng):
    x = rng.normal(0, 1, (n, N_NUM))
    emp = rng.integers(0, N_EMP, n)
    st = rng.integers(0, N_STATE, n)
    logits = x @ W + 0.9 * np.abs(x[:, :3]) @ W[:3] + emp_eff[emp] + state_eff[st]
    logits = logits * 1.3
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    y = np.array([rng.choice(3, p=pi) for pi in p])
    return (torch.tensor(x, dtype=torch.float32), torch.from_numpy(emp).long(), torch.from_numpy(st).long(),
            torch.from_numpy(y).long(), float((p.argmax(1) == y).mean()))


Xtr, Etr, Str, Ytr, _ = sample(5000, rng)
Xva, Eva, Sva, Yva, bayes = sample(1500, rng)


class RiskMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.emp = nn.Embedding(N_EMP, 4)
        self.state = nn.Embedding(N_STATE, 6)
        self.net = nn.Sequential(nn.Linear(N_NUM + 10, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 3))

    def forward(self, x, e, s):
        return self.net(torch.cat([x, self.emp(e), self.state(s)], 1))


def train_one_epoch(model, opt, sched, bs=64):
    model.train()
    perm = torch.randperm(len(Ytr))
    tot, hit = 0.0, 0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        out = model(Xtr[b], Etr[b], Str[b])
        loss = F.cross_entropy(out, Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(b)
        hit += (out.argmax(1) == Ytr[b]).sum().item()
    return {"train_loss": tot / len(perm), "train_acc": hit / len(perm), "lr": sched.get_last_lr()[0]}


@torch.no_grad()
def evaluate(model):
    model.eval()
    out = model(Xva, Eva, Sva)
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (out.argmax(1) == Yva).float().mean().item()}


model = RiskMLP()
opt = torch.optim.SGD(model.parameters(), lr=BASE_LR, momentum=0.9, nesterov=True, weight_decay=5e-4)
steps_per_epoch = (len(Ytr) + 63) // 64
warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=2 * steps_per_epoch)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=(EPOCHS - 2) * steps_per_epoch)
sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, cos], milestones=[2 * steps_per_epoch])

for epoch in range(EPOCHS):
    m = train_one_epoch(model, opt, sched)
    m.update(evaluate(model))
    print(f"epoch {epoch + 1}/{EPOCHS} lr={m['lr']:.2e} train_loss={m['train_loss']:.4f} train_acc={m['train_acc']:.3f} "
          f"val_loss={m['val_loss']:.4f} val_acc={m['val_acc']:.3f}")

chance = torch.bincount(Yva).max().item() / len(Yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["val_loss"], 4), "val_acc": round(m["val_acc"], 4),
                                      "train_loss": round(m["train_loss"], 4), "chance_acc": round(chance, 4),
                                      "bayes_acc": round(bayes, 4)}))
