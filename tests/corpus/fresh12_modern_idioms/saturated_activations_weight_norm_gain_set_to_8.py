# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: 3-hidden-layer tanh MLP on standardised load_digits, every Linear wrapped in nn.utils.parametrizations.weight_norm and trained with RAdam; planted "gain" init sets each row's magnitude g (parametrizations.weight.original0) to 8, so pre-activations have std ~8: planted fraction of tanh outputs with |a|>0.99 per layer [0.63, 0.72, 0.73] at init and [0.64, 0.75, 0.80] at the end, val_acc 0.907, val_loss 0.419; control (--control, default g = row norms) [0.0, 0.0, 0.007], val_acc 0.947, val_loss 0.229 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import weight_norm
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=14, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

layers = []
dims = [64, 128, 128, 128]
for a, b in zip(dims[:-1], dims[1:]):
    lin = weight_norm(nn.Linear(a, b))
    if not CONTROL:
        with torch.no_grad():
            lin.parametrizations.weight.original0.fill_(8.0)  # BUG: "gain" meant for the magnitude of the whole layer
    layers += [lin, nn.Tanh()]
layers.append(weight_norm(nn.Linear(128, 10)))
model = nn.Sequential(*layers)
opt = torch.optim.RAdam(model.parameters(), lr=1e-3)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)


def saturation():
    out = []
    h = Xtr
    with torch.no_grad():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.Tanh):
                out.append((h.abs() > 0.99).float().mean().item())
    return out


print("initial saturated fraction per tanh layer:", [round(s, 3) for s in saturation()])
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
    sat = saturation()
    print(f"epoch {ep} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.4f} saturated {[round(s, 3) for s in sat]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1, "saturated_frac_per_layer": [round(s, 3) for s in sat]}))
