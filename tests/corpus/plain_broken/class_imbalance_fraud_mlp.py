# expect: class_imbalance
# allow: high_bias, non_convergence
# forbid: *
# evidence: 95/5 labels (train 5693/307). planted plain CE: val_acc 0.9495 = majority rate 0.9495, fraud recall 0.000, balanced_acc 0.50; control (inverse-frequency class weights): fraud recall 0.891, balanced_acc 0.891
# control: --control
"""Fraud-detection style data: 95% legit / 5% fraud, fraud shifted by ~1.2 std in 5 of 12
features. Plain cross-entropy: the net settles on "always legit" (acc = 0.95, fraud recall ~0).
Control: class-weighted loss (weight = inverse frequency)."""
import json
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)
use_weights = "--control" in sys.argv


def sample(n, pos_rate=0.05, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = (torch.rand(n, generator=g) < pos_rate).long()
    x = torch.randn(n, 12, generator=g)
    shift = torch.zeros(12)
    shift[:5] = 1.2
    x = x + y.unsqueeze(1) * shift
    return x, y


X, Y = sample(6000, seed=1)
Xv, Yv = sample(2000, seed=2)
print(f"train class counts: {torch.bincount(Y).tolist()}")

net = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 2))
w = None
if use_weights:
    counts = torch.bincount(Y).float()
    w = counts.sum() / (2 * counts)
criterion = nn.CrossEntropyLoss(weight=w)
eval_ce = nn.CrossEntropyLoss()
opt = torch.optim.SGD(net.parameters(), lr=0.01)


def report():
    with torch.no_grad():
        logits = net(Xv)
        pred = logits.argmax(1)
        acc = (pred == Yv).float().mean().item()
        rec = [((pred == c) & (Yv == c)).sum().item() / max((Yv == c).sum().item(), 1) for c in (0, 1)]
        return eval_ce(logits, Yv).item(), acc, rec, (pred == 1).float().mean().item()


for epoch in range(10):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 128):
        b = perm[i:i + 128]
        loss = criterion(net(X[b]), Y[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
    vl, acc, rec, frac_pos = report()
    print(f"epoch {epoch}: loss {loss.item():.4f} val_loss {vl:.4f} val_acc {acc:.3f} "
          f"recall legit {rec[0]:.3f} fraud {rec[1]:.3f} predicted-fraud rate {frac_pos:.3f}")

bal = (rec[0] + rec[1]) / 2
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4),
                                     "balanced_acc": round(bal, 4), "minority_recall": round(rec[1], 4),
                                     "majority_rate": round(1 - Yv.float().mean().item(), 4)}))
