# expect: dead_units
# allow: non_convergence, vanishing_gradients, poor_initialization, class_imbalance, high_bias
# forbid: *
# evidence: probe: planted (focal prior bias -4.6 on every Linear) leaves 98% of layer-1 and 100% of layer-2 ReLUs dead on all training inputs from init to the end; val_acc 0.371 (predicts one class; majority 0.629), val_loss 2.65; control (prior bias only on the head) dead [0.0, 0.09], val_acc 0.958, val_loss 0.120
# control: --control
import sys, math, json, random
from collections import OrderedDict
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr); Xtr, Xva = sc.transform(Xtr), sc.transform(Xva)
Xtr = torch.tensor(Xtr).float(); Xva = torch.tensor(Xva).float()
ytr = torch.tensor(ytr).float(); yva = torch.tensor(yva).float()

model = nn.Sequential(OrderedDict([
    ("fc1", nn.Linear(30, 64)), ("act1", nn.ReLU()),
    ("fc2", nn.Linear(64, 64)), ("act2", nn.ReLU()),
    ("head", nn.Linear(64, 1)),
]))
# "focal-loss style prior init" (RetinaNet): b = -log((1-pi)/pi) ... applied to every layer by mistake
prior = 0.01
for name, m in model.named_modules():
    if isinstance(m, nn.Linear) and (not CONTROL or name == "head"):
        nn.init.constant_(m.bias, -math.log((1 - prior) / prior))

def dead_frac():
    with torch.no_grad():
        h1 = model.act1(model.fc1(Xtr)); h2 = model.act2(model.fc2(h1))
    return [float(((h > 0).sum(0) == 0).float().mean()) for h in (h1, h2)]

print("dead fraction at init (layer1, layer2):", dead_frac())
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
for ep in range(30):
    perm = torch.randperm(len(Xtr)); ls = []
    for i in range(0, len(Xtr), 32):
        b = perm[i:i+32]
        loss = bce(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); ls.append(loss.item())
    with torch.no_grad():
        o = model(Xva).squeeze(1)
        vl = bce(o, yva).item(); acc = ((o > 0).float() == yva).float().mean().item()
    if ep % 5 == 4:
        print(f"ep={ep+1} tr={np.mean(ls):.4f} va={vl:.4f} acc={acc:.3f} dead={dead_frac()}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": float(np.mean(ls)),
                                     "chance_acc": float(max(yva.mean().item(), 1 - yva.mean().item())), "dead_frac": dead_frac()}))
