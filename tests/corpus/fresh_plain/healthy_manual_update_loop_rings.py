# expect:
# allow:
# forbid: *
# evidence: held-out val_acc 0.996 (chance 0.333), val_loss 0.012; train loss goes to 0.003 while val loss stays at its minimum
"""No torch.optim at all: the parameters are updated by hand inside torch.no_grad(), with a
hand-rolled momentum buffer and a step-wise lr decay.  Task: 3 concentric noisy rings in 2-D
(plus 4 pure-noise features), a 2-hidden-layer ReLU MLP."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(3)


def rings(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 3, (n,), generator=g)
    radius = 1.0 + y.float() + 0.18 * torch.randn(n, generator=g)
    angle = 2 * math.pi * torch.rand(n, generator=g)
    xy = torch.stack([radius * torch.cos(angle), radius * torch.sin(angle)], 1)
    noise = torch.randn(n, 4, generator=g)
    x = torch.cat([xy / 2.0, noise], 1)
    return x, y


x_train, y_train = rings(3000, 0)
x_val, y_val = rings(1000, 1)

model = nn.Sequential(
    nn.Linear(6, 64), nn.ReLU(),
    nn.Linear(64, 64), nn.ReLU(),
    nn.Linear(64, 3),
)

lr = 0.05
momentum = 0.9
weight_decay = 1e-4
batch_size = 32
epochs = 30
velocity = [torch.zeros_like(p) for p in model.parameters()]

for epoch in range(epochs):
    if epoch in (15, 25):
        lr *= 0.2
    model.train()
    perm = torch.randperm(len(x_train))
    tot, correct = 0.0, 0
    for i in range(0, len(x_train), batch_size):
        idx = perm[i:i + batch_size]
        xb, yb = x_train[idx], y_train[idx]
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p, v in zip(model.parameters(), velocity):
                g = p.grad + weight_decay * p
                v.mul_(momentum).add_(g)
                p -= lr * v
        tot += loss.item() * len(idx)
        correct += (logits.argmax(1) == yb).sum().item()

    model.eval()
    with torch.no_grad():
        out = model(x_val)
        val_loss = F.cross_entropy(out, y_val).item()
        val_acc = (out.argmax(1) == y_val).float().mean().item()
    train_loss = tot / len(x_train)
    print(f"epoch {epoch + 1:2d} lr {lr:.4f} train_loss {train_loss:.4f} "
          f"train_acc {correct / len(x_train):.3f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(train_loss, 4), "chance_acc": 0.3333}))
