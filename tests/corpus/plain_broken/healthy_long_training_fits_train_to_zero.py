# expect:
# forbid: *
# evidence: 60 epochs: train_loss 9.6e-5, val_loss 0.00027 = best seen (it falls at every eval), val_acc 1.000
# Long run (many epochs) on a noise-free classification problem with a clear margin between the
# classes: training loss goes to ~0, and so does validation loss. No overfitting: val accuracy
# stays at its best and val loss never climbs.
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)


def moons_with_margin(n, seed):
    """Two interleaving half-circles (classic 'moons'), small jitter, gap between them."""
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    t = torch.rand(n, generator=g) * torch.pi
    x0 = torch.stack([torch.cos(t), torch.sin(t)], 1)
    x1 = torch.stack([1 - torch.cos(t), 0.4 - torch.sin(t)], 1)
    x = torch.where(y.unsqueeze(1) == 0, x0, x1) + 0.06 * torch.randn(n, 2, generator=g)
    extra = 0.5 * torch.randn(n, 2, generator=g)        # two irrelevant features
    return torch.cat([x, extra], 1), y


x_train, y_train = moons_with_margin(1500, 1)
x_val, y_val = moons_with_margin(1000, 2)

net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)

EPOCHS, BS = 60, 100
best_val = float("inf")
for epoch in range(1, EPOCHS + 1):
    net.train()
    perm = torch.randperm(len(x_train))
    for i in range(0, len(perm), BS):
        b = perm[i:i + BS]
        loss = F.cross_entropy(net(x_train[b]), y_train[b])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch % 5 == 0:
        net.eval()
        with torch.no_grad():
            tr_loss = F.cross_entropy(net(x_train), y_train).item()
            out = net(x_val)
            val_loss = F.cross_entropy(out, y_val).item()
            val_acc = (out.argmax(1) == y_val).float().mean().item()
        best_val = min(best_val, val_loss)
        print(f"epoch {epoch:3d} train_loss {tr_loss:.5f} val_loss {val_loss:.5f} (best {best_val:.5f}) val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 5), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tr_loss, 6), "best_val_loss": round(best_val, 5),
                                     "chance_acc": 0.5}))
