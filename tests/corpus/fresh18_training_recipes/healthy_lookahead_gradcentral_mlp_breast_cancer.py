# expect:
# allow:
# forbid: *
# evidence: Lookahead(Adam)+gradient centralisation reaches val_acc 0.977, val_loss 0.051, train_loss 0.065 (majority-class acc 0.626)
"""MLP on breast-cancer (standardised) with a hand-written Lookahead (k=5, alpha=0.5)
wrapping Adam, plus gradient centralisation (each weight-matrix gradient row has its
mean removed before the step). Binary task with a naturally mild class skew (63/37)."""
import json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(5); np.random.seed(5); random.seed(5)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
inner = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
slow = [p.detach().clone() for p in model.parameters()]
K, ALPHA = 5, 0.5
step = 0
for ep in range(30):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]).squeeze(1), ytr[idx])
        inner.zero_grad(); loss.backward()
        for p in model.parameters():                       # gradient centralisation
            if p.grad is not None and p.dim() > 1:
                p.grad.sub_(p.grad.mean(dim=tuple(range(1, p.dim())), keepdim=True))
        inner.step(); step += 1; tot += loss.item() * len(idx)
        if step % K == 0:                                  # lookahead: pull slow weights, reset fast ones
            with torch.no_grad():
                for s, p in zip(slow, model.parameters()):
                    s.add_(p - s, alpha=ALPHA); p.copy_(s)
    model.eval()
    with torch.no_grad():
        o = model(Xva).squeeze(1); vl = F.binary_cross_entropy_with_logits(o, yva).item(); va = ((o > 0).float() == yva).float().mean().item()
    if (ep + 1) % 4 == 0:
        print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                     "majority_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
