# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, non_finite, dead_units, high_bias
# forbid: *
# evidence: CyclicLR (triangular, SGD momentum 0.9) with max_lr=2.0 read off an LR-range plot in the wrong units; planted epoch-0 batch losses reach 1.7e4 (mean 244), then the net collapses to a constant predictor: val_acc 0.189, val_loss 1.635 (chance 0.2); --control (max_lr=0.05) val_acc 0.976, val_loss 0.054
# control: --control
"""MLP on 5 gaussian clusters in 12-d, SGD + CyclicLR. The only planted change is max_lr."""
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
K, DIM = 5, 12
centers = torch.randn(K, DIM) * 1.0


def make(n):
    y = torch.randint(0, K, (n,))
    return centers[y] + torch.randn(n, DIM) * 0.8, y


xtr, ytr = make(3000)
xva, yva = make(800)
model = nn.Sequential(nn.Linear(DIM, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
MAX_LR = 0.05 if CONTROL else 2.0
opt = torch.optim.SGD(model.parameters(), lr=MAX_LR / 10, momentum=0.9)
sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=MAX_LR / 10, max_lr=MAX_LR, step_size_up=100, mode="triangular")

for epoch in range(6):
    model.train()
    perm = torch.randperm(len(xtr))
    tot, hi = 0.0, 0.0
    for s in range(0, len(xtr), 32):
        idx = perm[s:s + 32]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item() * len(idx)
        hi = max(hi, loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(xva)
        val_loss = F.cross_entropy(lv, yva).item()
        val_acc = (lv.argmax(1) == yva).float().mean().item()
    train_loss = tot / len(xtr)
    print(f"epoch {epoch} train_loss {train_loss:.4f} (max batch {hi:.3g}) val_loss {val_loss:.4f} val_acc {val_acc:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                      "train_loss": round(train_loss, 4), "chance_acc": 1 / K}))
