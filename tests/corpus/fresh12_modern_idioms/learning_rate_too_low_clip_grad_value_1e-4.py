# expect: learning_rate_too_low
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: MLP on load_digits, SGD(lr=0.05, momentum=0.9), clip_grad_value_(1e-4) every step (meant clip_grad_value_(1.0)): planted val_acc 0.60, val_loss 2.115 after 8 epochs (train_loss 2.30 -> 2.13); control (--control, clip value 1.0) val_acc 0.978, val_loss 0.101 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
CLIP = 1.0 if CONTROL else 1e-4
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
for ep in range(8):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        torch.nn.utils.clip_grad_value_(model.parameters(), CLIP)
        opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
