# expect: high_bias
# allow: non_convergence, dead_units
# forbid: *
# evidence: BatchNorm MLP on load_digits with SGD+momentum; planted param groups give weight_decay=0.2 to every group (weights, biases, BN): planted train_acc 0.45, train_loss 1.99, val_acc 0.43, weight norm 1.3, 27% and 49% of the ReLU units never fire at the end (dead_units allowed as a side effect); control (--control, intended 5e-4 on weights and 0 on biases/BN) train_acc 0.99, train_loss 0.12, val_acc 0.976, weight norm 32 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 96), nn.BatchNorm1d(96), nn.ReLU(), nn.Linear(96, 96), nn.BatchNorm1d(96), nn.ReLU(), nn.Linear(96, 10))
decay = [p for n, p in model.named_parameters() if p.ndim > 1]
no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
if CONTROL:
    groups = [{"params": decay, "weight_decay": 5e-4}, {"params": no_decay, "weight_decay": 0.0}]
else:
    WD = 0.2  # BUG: meant 5e-4, and the "no decay" group gets the same value
    groups = [{"params": decay, "weight_decay": WD}, {"params": no_decay, "weight_decay": WD}]
opt = torch.optim.SGD(groups, lr=0.05, momentum=0.9)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
for ep in range(10):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva); tr_out = model(Xtr)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    ta = (tr_out.argmax(1) == ytr).float().mean().item()
    print(f"epoch {ep} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
wn = sum(p.norm() ** 2 for p in decay).sqrt().item()
print(f"probe: total weight norm {wn:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1, "weight_norm": round(wn, 3)}))
