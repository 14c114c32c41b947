# expect: poor_initialization
# allow: non_convergence, high_bias
# forbid: *
# evidence: probe: distinct hidden units in layer 1 = 1 of 64 at start and end (planted, constant 0.05 init) vs 64 (control, kaiming); planted val_acc 0.389, val_loss 1.456, train_loss 1.460 vs control val_acc 0.956, val_loss 0.140
# control: --control
# native-log: train_log.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""Hidden layers carry a custom max-norm parametrization (torch.nn.utils.parametrize.
register_parametrization): each weight row is rescaled to norm <= 3. The underlying weights and
biases were initialised with nn.init.constant_(., 0.05) "for reproducibility", so every hidden unit
starts identical, gets identical gradients and never breaks symmetry -> the network behaves like a
1-unit-per-layer model. --control uses kaiming init (zero bias)."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
import torch.nn.utils.parametrize as P
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
class MaxNorm(nn.Module):
    def forward(self, w):
        n = w.norm(dim=1, keepdim=True).clamp(min=1e-8)
        return w * (3.0 / n).clamp(max=1.0)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
layers = nn.ModuleList([nn.Linear(64, 64), nn.Linear(64, 64), nn.Linear(64, 10)])
for l in layers[:2]:
    if CONTROL:
        nn.init.kaiming_uniform_(l.weight, nonlinearity="tanh"); nn.init.zeros_(l.bias)
    else:
        nn.init.constant_(l.weight, 0.05); nn.init.constant_(l.bias, 0.05)
for l in layers[:2]:
    P.register_parametrization(l, "weight", MaxNorm())
class Net(nn.Module):
    def __init__(self): super().__init__(); self.layers = layers
    def forward(self, x):
        h = torch.tanh(self.layers[0](x)); h = torch.tanh(self.layers[1](h)); return self.layers[2](h)
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
def distinct_units(x):
    h = torch.tanh(layers[0](x)); return int(torch.unique(h.round(decimals=5), dim=1).shape[1])
with torch.no_grad(): print("distinct hidden units (layer 1) at start:", distinct_units(Xtr))
f = open(os.path.join(LOG_DIR, "train_log.csv"), "w", newline=""); wr = csv.writer(f)
wr.writerow(["epoch", "train_loss", "val_loss", "val_acc"])
for ep in range(10):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    wr.writerow([ep, round(tot / len(Xtr), 5), round(vl, 5), round(va, 4)])
    if ep % 3 == 0 or ep == 9: print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
f.close()
with torch.no_grad(): du = distinct_units(Xva)
print("distinct hidden units (layer 1) at end:", du)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tot / len(Xtr), 4), "chance_acc": 0.1, "distinct_units_l1": du}))
