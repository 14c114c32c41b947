# expect:
# allow:
# forbid: *
# evidence: full-batch LBFGS (strong_wolfe line search, closure) on a small tanh MLP for standardised wine with L2 in the closure: val_acc 0.984, val_loss 0.042, train_loss 0.006 after 15 outer steps (chance 0.40)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.35, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(13, 16), nn.Tanh(), nn.Linear(16, 3))
opt = torch.optim.LBFGS(model.parameters(), lr=1.0, max_iter=10, history_size=10, line_search_fn="strong_wolfe")


def closure():
    opt.zero_grad()
    loss = F.cross_entropy(model(Xtr), ytr) + 1e-3 * sum((p ** 2).sum() for n, p in model.named_parameters() if "weight" in n)
    loss.backward()
    return loss


for step in range(15):
    loss = opt.step(closure)
    with torch.no_grad():
        tl = F.cross_entropy(model(Xtr), ytr).item()
        out = model(Xva)
        vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"step {step} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.4}))
