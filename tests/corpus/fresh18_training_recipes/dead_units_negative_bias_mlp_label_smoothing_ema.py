# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: planted (bias -4): dead fraction per hidden layer [0.66, 1.0, 1.0] at end, loss stuck at 2.303, val_acc 0.10; control (default bias): dead [0.0, 0.008, 0.047], val_acc 0.98
# control: --control
"""PLANTED dead_units: MLP on digits (standardised) trained with
label smoothing 0.1, AdamW and an EMA copy for evaluation, but the hidden ReLU layers' biases
were initialised to -4 (a copy-paste of a "negative bias for sparse features" trick), so most
units never fire for any input. --control keeps PyTorch's default bias init (the only change).
Prints the fraction of hidden units that are zero for every training input."""
import sys, json, random, copy
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(11); np.random.seed(11); random.seed(11)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=11, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
hidden = [nn.Linear(64, 128), nn.Linear(128, 128), nn.Linear(128, 64)]
if "--control" not in sys.argv:
    for l in hidden: nn.init.constant_(l.bias, -4.0)
model = nn.Sequential(hidden[0], nn.ReLU(), hidden[1], nn.ReLU(), hidden[2], nn.ReLU(), nn.Linear(64, 10))
ema = copy.deepcopy(model)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)
def dead_fraction(m):
    acts = []; h = Xtr
    with torch.no_grad():
        for layer in list(m)[:-1]:
            h = layer(h)
            if isinstance(layer, nn.ReLU): acts.append((h > 0).any(0).logical_not().float().mean().item())
    return acts
print("dead fraction per hidden layer at init", [round(a, 3) for a in dead_fraction(model)])
for ep in range(25):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = crit(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()): pe.lerp_(pm, 0.02)
    ema.eval()
    with torch.no_grad():
        o = ema(Xva); vl = F.cross_entropy(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    if (ep + 1) % 5 == 0: print(f"epoch {ep+1} train_loss {tot/len(Xtr):.4f} EMA val_loss {vl:.4f} val_acc {va:.4f}")
dead = dead_fraction(model)
print("dead fraction per hidden layer at end", [round(a, 3) for a in dead])
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4),
                                     "dead_fraction": [round(a, 3) for a in dead], "chance_acc": 0.1}))
