# expect:
# allow:
# forbid: *
# evidence: train loss 0.15 -> 0.0005 over 600 epochs while held-out val_loss falls monotonically 0.187 -> 0.026 and val_acc rises to 0.993 (its best; chance 0.5)
"""Full-batch Adagrad for 600 epochs on a small, clean, margin-separated problem: the training
loss is driven to ~0, and because the labels are noise-free the held-out accuracy stays at its
best all along (no overfitting: there is nothing to memorise).
Labels: sign of a fixed quadratic form in 12-d; points within a small margin are discarded."""
import json

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(21)

g = torch.Generator().manual_seed(4)
A = torch.randn(12, 12, generator=g)
A = (A + A.T) / 2


def sample(n):
    xs, ys = [], []
    while sum(len(x) for x in xs) < n:
        x = torch.randn(4 * n, 12, generator=g)
        s = ((x @ A) * x).sum(1) / 12 ** 0.5
        keep = s.abs() > 0.6
        xs.append(x[keep])
        ys.append((s[keep] > 0).long())
    return torch.cat(xs)[:n], torch.cat(ys)[:n]


x_tr, y_tr = sample(1500)
x_va, y_va = sample(1000)

model = nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
optimizer = torch.optim.Adagrad(model.parameters(), lr=0.03)
criterion = nn.CrossEntropyLoss()

best_val_acc = 0.0
for epoch in range(1, 601):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(x_tr), y_tr)
    loss.backward()
    optimizer.step()
    if epoch % 25 == 0:
        model.eval()
        with torch.no_grad():
            out = model(x_va)
            val_loss = criterion(out, y_va).item()
            val_acc = (out.argmax(1) == y_va).float().mean().item()
        best_val_acc = max(best_val_acc, val_acc)
        print(f"epoch {epoch:3d} train_loss {loss.item():.5f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "best_val_acc": round(best_val_acc, 4),
                                     "train_loss": round(loss.item(), 6), "chance_acc": 0.5}))
