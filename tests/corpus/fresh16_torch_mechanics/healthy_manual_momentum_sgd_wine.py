# expect:
# allow:
# forbid: *
# evidence: hand-written momentum SGD on standardised wine: val_acc 0.981, val_loss 0.0165, train_loss 0.0013 (majority 0.389); val loss flat at its best while train loss keeps shrinking; metric: val_acc
"""No optimiser object: a hand-written heavy-ball momentum SGD loop with weight decay
(`with torch.no_grad(): v.mul_(mu).add_(g); p -= lr * v`) on the standardised wine data."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
lr, mu, wd = 0.05, 0.9, 1e-4
vel = [torch.zeros_like(p) for p in model.parameters()]
for ep in range(60):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        for p in model.parameters(): p.grad = None
        loss.backward()
        with torch.no_grad():
            for p, v in zip(model.parameters(), vel):
                v.mul_(mu).add_(p.grad + wd * p)
                p -= lr * v
        tot += loss.item() * len(idx)
    if ep % 10 == 9 or ep == 0:
        with torch.no_grad():
            out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": round(float(np.bincount(yva.numpy()).max() / len(yva)), 4)}))
