# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: optimiser switched Adam -> Adadelta but lr=1e-3 kept (Adadelta's scale is lr=1.0); planted train_loss creeps 1.378 -> 1.349 over 8 epochs, val_acc 0.242, val_loss 1.353 (chance 0.25); --control (Adadelta lr=1.0) val_acc 0.987, val_loss 0.055
# control: --control
"""Small BN-free CNN on synthetic 12x12 'bar orientation' images trained with Adadelta."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
S, K = 12, 4
yy, xx = torch.meshgrid(torch.arange(S).float() - S / 2, torch.arange(S).float() - S / 2, indexing="ij")
angles = torch.tensor([0.0, 45.0, 90.0, 135.0]) * 3.14159 / 180


def make(n):
    y = torch.randint(0, K, (n,))
    a = angles[y] + 0.15 * torch.randn(n)
    ox, oy = torch.randn(n) * 1.5, torch.randn(n) * 1.5
    d = ((xx[None] - ox[:, None, None]) * torch.sin(a)[:, None, None] - (yy[None] - oy[:, None, None]) * torch.cos(a)[:, None, None]).abs()
    img = (d < 1.0).float() + 0.4 * torch.randn(n, S, S)
    return ((img - 0.2) / 0.5).unsqueeze(1), y


xtr, ytr = make(2000)
xva, yva = make(600)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 3 * 3, 64), nn.ReLU(), nn.Linear(64, K))
opt = torch.optim.Adadelta(model.parameters(), lr=1.0 if CONTROL else 1e-3)

for epoch in range(8):
    model.train()
    perm = torch.randperm(len(xtr))
    tot = 0.0
    for s in range(0, len(xtr), 32):
        idx = perm[s:s + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 1 / K}))
