# expect: dead_units
# allow: non_convergence, high_bias, learning_rate_too_high
# forbid: *
# evidence: ReLU MLP (3 hidden layers of 128) on load_digits, Adam with layer-wise lr decay (base 3e-3 for the head, x0.2 per layer going down); planted exponent has the wrong sign, so lower layers get x5, x25, x125 the base lr (first layer 0.375): units never firing on any training input per hidden layer [0.0, 0.83, 0.34], train_loss 0.58, val_acc 0.824, val_loss 0.75; control (--control, decay applied the right way) dead [0.0, 0.0, 0.06], train_loss 0.072, val_acc 0.938, val_loss 0.193 (chance 0.10)
# control: --control
import os, sys, json, random, math
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
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=13, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10))
linears = [m for m in model if isinstance(m, nn.Linear)]
BASE, DECAY = 3e-3, 0.2
L = len(linears) - 1
groups = []
for i, lin in enumerate(linears):
    depth_from_top = L - i
    scale = DECAY ** depth_from_top if CONTROL else DECAY ** (-depth_from_top)  # BUG: sign of the exponent
    groups.append({"params": lin.parameters(), "lr": BASE * scale})
print("per-layer lr:", [round(g["lr"], 5) for g in groups])
opt = torch.optim.Adam(groups)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)


def dead_fraction():
    fired = []
    h = Xtr
    with torch.no_grad():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                fired.append((h > 0).any(0))
    return [1 - f.float().mean().item() for f in fired]


for ep in range(10):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    dead = dead_fraction()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} dead per layer {[round(d, 3) for d in dead]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "dead_frac_per_layer": [round(d, 3) for d in dead]}))
