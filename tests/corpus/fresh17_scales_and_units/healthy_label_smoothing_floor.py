# expect:
# allow:
# forbid: *
# evidence: healthy; label_smoothing=0.3 puts the loss floor at 0.639 nats; train loss 0.788 -> 0.673 and val 0.717 -> 0.663 flatten just above it while val_acc 0.98 (chance 0.33)
"""3-class problem trained with CrossEntropyLoss(label_smoothing=0.3): the smoothed loss cannot go below
the entropy floor (~0.55 nats for K=3, eps=0.3), so the train loss flattens well above 0 while accuracy is high."""
import os, sys, json, random, math
import numpy as np, torch, torch.nn as nn
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
K, D, EPS = 3, 10, 0.3
g = torch.Generator().manual_seed(1)
centers = 1.0 * torch.randn(K, D, generator=g)
def sample(n):
    y = torch.randint(0, K, (n,), generator=g)
    return centers[y] + torch.randn(n, D, generator=g), y
Xtr, ytr = sample(1200); Xva, yva = sample(400)
model = nn.Sequential(nn.Linear(D, 64), nn.Tanh(), nn.Linear(64, K))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
lossf = nn.CrossEntropyLoss(label_smoothing=EPS)
q = torch.full((K,), EPS / K); q[0] += 1 - EPS
floor = float(-(q * q.log()).sum())
for epoch in range(40):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 50):
        idx = perm[i:i + 50]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(Xtr):.4f} val_loss {vl:.4f} train_acc {tra:.4f} val_acc {va:.4f} (smoothing floor {floor:.3f})")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                    "train_acc": round(tra, 4), "loss_floor": round(floor, 4), "chance_acc": round(1 / K, 4)}))
