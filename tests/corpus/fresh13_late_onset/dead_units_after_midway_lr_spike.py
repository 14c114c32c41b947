# expect: dead_units
# allow: learning_rate_too_high, non_convergence, exploding_gradients
# forbid: *
# evidence: lr 0.05 -> 3.0 for epoch 12 only; epoch 11 val_loss 0.262 val_acc 0.931 with 0% dead units; after epoch 12 99-100% of layer-2 ReLUs never fire on any training input and the net stays at chance to epoch 29 (val_loss 2.299 val_acc 0.10); control (boost 1.5) 0% dead, val_loss 0.127 val_acc 0.964
# control: --control
"""ReLU MLP on digits, plain SGD. A manual 'lr boost' meant for a few steps at 1.5x is
coded as 60x (0.05 -> 3.0) for epoch 12 only. The big updates push most hidden units'
pre-activations negative for every input; after the lr returns to normal those units
never fire again and training continues with a crippled network.
Control: the boost factor set to 1.5."""
import sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.manual_seed(5); np.random.seed(5); random.seed(5)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

l1, l2, l3 = nn.Linear(64, 128), nn.Linear(128, 128), nn.Linear(128, 10)
model = nn.Sequential(l1, nn.ReLU(), l2, nn.ReLU(), l3)
BASE = 0.05
BOOST = 1.5 if CONTROL else 60.0       # bug: meant 1.5
opt = torch.optim.SGD(model.parameters(), lr=BASE)
loss_fn = nn.CrossEntropyLoss()

def dead_fraction():
    with torch.no_grad():
        h1 = torch.relu(l1(Xtr)); h2 = torch.relu(l2(h1))
        return (h1.max(0).values <= 0).float().mean().item(), (h2.max(0).values <= 0).float().mean().item()

EPOCHS, BS, SPIKE_EP = 30, 64, 12
n = len(Xtr)
for ep in range(EPOCHS):
    lr = BASE * BOOST if ep == SPIKE_EP else BASE
    for g in opt.param_groups: g["lr"] = lr
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, BS):
        idx = perm[i:i + BS]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    d1, d2 = dead_fraction()
    print(f"epoch {ep:2d} lr {lr:.3f} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f} dead_l1 {d1:.2f} dead_l2 {d2:.2f}")
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if math.isfinite(vl) else None, "val_acc": round(va, 4), "train_loss": round(tl, 4) if math.isfinite(tl) else None,
                                     "dead_frac_layer1": round(d1, 3), "dead_frac_layer2": round(d2, 3), "chance_acc": 0.1}))
