# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: probe: fraction of tanh outputs with |a|>0.99 per layer, planted (g=50) [0.95,0.96,0.96] at start and [0.97,0.98,0.99] at the end vs control (default g) [0.00,0.00,0.00] / [0.00,0.00,0.05]; planted val_acc 0.836, val_loss 0.515 vs control val_acc 0.971, val_loss 0.102
# control: --control
"""tanh MLP whose hidden Linear layers use torch.nn.utils.parametrizations.weight_norm. The author
re-initialised the magnitude parameter g (original0) to 50 for every unit "to speed up training";
pre-activations become huge and the tanh units sit at +-1. --control keeps the default g (=||v||)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.nn.utils.parametrizations import weight_norm
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
hidden = [weight_norm(nn.Linear(64, 128)), weight_norm(nn.Linear(128, 128)), weight_norm(nn.Linear(128, 64))]
if not CONTROL:
    with torch.no_grad():
        for l in hidden: l.parametrizations.weight.original0.fill_(50.0)
model = nn.Sequential(hidden[0], nn.Tanh(), hidden[1], nn.Tanh(), hidden[2], nn.Tanh(), nn.Linear(64, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
def sat_frac(x):
    fr = []; h = x
    for m in model:
        h = m(h)
        if isinstance(m, nn.Tanh): fr.append(round((h.abs() > 0.99).float().mean().item(), 3))
    return fr
with torch.no_grad(): print("initial tanh |a|>0.99 fraction per layer:", sat_frac(Xtr))
for ep in range(10):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    if ep % 3 == 0 or ep == 9: print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
with torch.no_grad(): fr = sat_frac(Xva)
print("final tanh |a|>0.99 fraction per layer:", fr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1, "sat_frac": fr}))
