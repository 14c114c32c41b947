# expect:
# allow:
# forbid: *
# evidence: GRU classifying noisy sinusoids into 4 frequency bands (0.05/0.08/0.11/0.14 cycles per step, noise sd 0.7, length 40), torch.use_deterministic_algorithms(True), torch.manual_seed(epoch) reseeding every epoch, Adagrad lr 0.05, clip_grad_value_(1.0), zero_grad after step (the other valid order): val_acc 0.987, val_loss 0.068, train_loss 0.041, with one noisy val epoch (0.33 at epoch 5) on the way (chance 0.25)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
rng = np.random.default_rng(0)
N, L = 1600, 40
cls = rng.integers(0, 4, N)
freq = np.array([0.05, 0.08, 0.11, 0.14])[cls] * (1 + rng.uniform(-0.08, 0.08, N))
phase = rng.uniform(0, 2 * np.pi, N)
t = np.arange(L)
Xs = np.sin(2 * np.pi * freq[:, None] * t[None] + phase[:, None]) + rng.normal(0, 0.7, (N, L))
X = torch.tensor(Xs, dtype=torch.float32).unsqueeze(-1); Y = torch.tensor(cls)
Xtr, Xva, ytr, yva = X[:1300], X[1300:], Y[:1300], Y[1300:]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        o, _ = self.gru(x)
        return self.head(o[:, -1])


model = Net()
opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
opt.zero_grad()
for ep in range(10):
    torch.manual_seed(ep)
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
