# expect:
# allow:
# forbid: *
# evidence: hand-written SAM (two forward/backward passes per step) reaches val_acc 0.978, val_loss 0.071, train_loss 0.020 in 12 epochs (chance 0.10)
"""Small CNN on 8x8 digits with hand-written SAM (sharpness-aware minimisation, rho=0.05):
each step does two forward/backward passes (ascent to w+e, then the real gradient),
wrapped around SGD with momentum and a step-decay schedule."""
import json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(4); np.random.seed(4); random.seed(4)
X, y = load_digits(return_X_y=True)
X = X / 8.0 - 1.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10))
params = [p for p in model.parameters()]
opt = torch.optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.3)
RHO = 0.05
for ep in range(12):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; sharp = []
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; xb, yb = Xtr[idx], ytr[idx]
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(); loss.backward()
        gn = torch.norm(torch.stack([p.grad.norm() for p in params]))
        eps = []
        with torch.no_grad():
            for p in params:
                e = RHO * p.grad / (gn + 1e-12); p.add_(e); eps.append(e)
        loss2 = F.cross_entropy(model(xb), yb)          # second pass at the perturbed point
        opt.zero_grad(); loss2.backward()
        with torch.no_grad():
            for p, e in zip(params, eps): p.sub_(e)
        opt.step()
        tot += loss.item() * len(idx); sharp.append(loss2.item() - loss.item())
    sched.step(); model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    print(f"epoch {ep+1} lr {opt.param_groups[0]['lr']:.4f} train_loss {tot/len(Xtr):.4f} sharpness {np.mean(sharp):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1}))
