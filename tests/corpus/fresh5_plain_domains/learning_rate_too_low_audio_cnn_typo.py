# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (lr 3e-6): train loss 1.396 -> 1.392 in 5 epochs, val_acc 0.27 (chance 0.25); control (lr 3e-3): val_acc 0.998, val_loss 0.018
# control: --control
"""1-D CNN classifying synthetic 'machine sound' recordings (hum frequency + click rate).
The config says LR = 3e-6 — a typo for 3e-3 — so Adam barely moves the weights."""
import argparse
import json
import math
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
opt_args = parser.parse_args()
LR = 3e-3 if opt_args.control else 3e-6

torch.manual_seed(5)
torch.set_num_threads(1)
L = 320


def synth(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, L)
    hum = torch.where(y % 2 == 0, torch.tensor(12.0), torch.tensor(30.0))
    hum = hum + torch.randn(n, generator=g)
    x = torch.sin(2 * math.pi * hum[:, None] * t + 6.28 * torch.rand(n, 1, generator=g))
    clicks = torch.zeros(n, L)
    rate = torch.where(y >= 2, 16, 40)
    off = torch.randint(0, 16, (n,), generator=g)
    for k in range(n):
        clicks[k, off[k]::int(rate[k])] = 2.5
    x = x + clicks + 0.7 * torch.randn(n, L, generator=g)
    return x.unsqueeze(1), y


xtr, ytr = synth(1200, 0)
xva, yva = synth(500, 1)

net = nn.Sequential(
    nn.Conv1d(1, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(4),
    nn.Conv1d(24, 48, 5, padding=2), nn.ReLU(), nn.MaxPool1d(4),
    nn.Conv1d(48, 48, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool1d(1),
    nn.Flatten(), nn.Linear(48, 4),
)
optimizer = torch.optim.Adam(net.parameters(), lr=LR)
loss_fn = nn.CrossEntropyLoss()

step = 0
for epoch in range(5):
    perm = torch.randperm(len(ytr))
    for b in range(0, len(ytr), 32):
        idx = perm[b:b + 32]
        out = net(xtr[idx])
        loss = loss_fn(out, ytr[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
        if step % 25 == 0:
            print(f"step {step} loss {loss.item():.4f}")
    with torch.no_grad():
        vo = net(xva)
        vloss = loss_fn(vo, yva).item()
        vacc = (vo.argmax(-1) == yva).float().mean().item()
        tloss = loss_fn(net(xtr), ytr).item()
    print(f"epoch {epoch} train_loss {tloss:.4f} val_loss {vloss:.4f} val_acc {vacc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                     "train_loss": round(tloss, 4), "chance_acc": 0.25}))
