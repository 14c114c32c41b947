# expect:
# forbid: *
# evidence: plain SGD lr=0.5: train loss 0.648 -> 0.271 monotonically, val_acc 0.918, val_loss 0.213 (as good as learning_rate_too_high_sgd_mlp's control: 0.918 / 0.221)
"""8-class blob classifier, one hidden layer, plain SGD (no momentum) at lr=0.5 with batch 128.
0.5 looks high, but for this shallow, well-conditioned model it is well inside the stable range."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)

LR = 0.5


def make_blobs(n, d=20, k=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(k, d, generator=torch.Generator().manual_seed(123)) * 0.7
    y = torch.randint(0, k, (n,), generator=g)
    return centers[y] + torch.randn(n, d, generator=g), y


xtr, ytr = make_blobs(6000, seed=1)
xva, yva = make_blobs(1000, seed=2)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 8))
opt = torch.optim.SGD(model.parameters(), lr=LR)

for epoch in range(12):
    perm = torch.randperm(len(xtr))
    model.train()
    tot = 0.0
    for i in range(0, len(xtr), 128):
        idx = perm[i:i + 128]
        loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                     "train_loss": round(tot / len(xtr), 4), "chance_acc": 0.125}))
