# expect: non_convergence
# allow: high_bias, learning_rate_too_low, vanishing_gradients
# forbid: *
# evidence: gradient-accumulation loop calls opt.zero_grad() right before opt.step(), so every step sees zero gradients; planted val_acc 0.216 and val_loss frozen at 1.785 from epoch 0 (chance 0.167); --control (step then zero_grad) reaches val_acc 0.976, val_loss 0.068
# control: --control
"""Gradient accumulation over micro-batches, refactored so the 'flush' block clears the grads
before stepping (the classic order bug). Adam with zero grads makes no update at all."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv

N_CLASSES, DIM = 6, 16
centers = torch.randn(N_CLASSES, DIM) * 0.9


def make(n):
    y = torch.randint(0, N_CLASSES, (n,))
    x = centers[y] + torch.randn(n, DIM)
    return x, y


xtr, ytr = make(6000)
xva, yva = make(1000)

model = nn.Sequential(nn.Linear(DIM, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, N_CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=5e-4)
ACCUM, MICRO = 4, 16


def flush():
    if CONTROL:
        opt.step()
        opt.zero_grad()
    else:
        opt.zero_grad()   # "start clean for the next accumulation window"
        opt.step()


for epoch in range(5):
    model.train()
    perm = torch.randperm(len(xtr))
    for i, s in enumerate(range(0, len(xtr), MICRO)):
        idx = perm[s:s + MICRO]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx]) / ACCUM
        loss.backward()
        if (i + 1) % ACCUM == 0:
            flush()
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
        train_loss = F.cross_entropy(model(xtr), ytr).item()
    print(f"epoch {epoch} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": round(1 / N_CLASSES, 4)}))
