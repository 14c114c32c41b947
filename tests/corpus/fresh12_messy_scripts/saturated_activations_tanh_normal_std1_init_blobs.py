# expect: saturated_activations
# allow: non_convergence, vanishing_gradients, poor_initialization, high_bias, overfitting, high_variance
# forbid: *
# evidence: tanh MLP (width 256) initialised N(0,1): 54% of layer-1 and 86% of layer-2 tanh outputs have |a|>0.99 at init and still at the end; the net memorises (train 0.0006) but generalises badly: val_loss 2.33, val_acc 0.772; control (xavier) saturation 0.0/0.0, val_loss 0.201, val_acc 0.926 (chance 0.17)
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_blobs

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

X, y = make_blobs(n_samples=1500, n_features=20, centers=6, cluster_std=8.0, random_state=0)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = X[:1000], y[:1000], X[1000:], y[1000:]

class MLP(nn.Module):
    def __init__(self, d, h, k):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(d, h), nn.Linear(h, h), nn.Linear(h, k)
        self.reset()
    def reset(self):
        for l in (self.l1, self.l2, self.l3):
            if CONTROL:
                nn.init.xavier_uniform_(l.weight)
            else:
                nn.init.normal_(l.weight, mean=0.0, std=1.0)   # "init from N(0,1)"
            nn.init.zeros_(l.bias)
    def forward(self, x):
        self.h1 = torch.tanh(self.l1(x)); self.h2 = torch.tanh(self.l2(self.h1))
        return self.l3(self.h2)

net = MLP(20, 256, 6)
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
ce = nn.CrossEntropyLoss()
Xt, yt, Xv, yv = map(torch.from_numpy, (Xtr, ytr, Xva, yva))
def sat():
    with torch.no_grad():
        net(Xt)
    return [round(float((h.abs() > 0.99).float().mean()), 3) for h in (net.h1, net.h2)]
print("saturated fraction at init:", sat())
for ep in range(20):
    perm = torch.randperm(len(Xt)); L = []
    for i in range(0, len(Xt), 50):
        b = perm[i:i+50]
        loss = ce(net(Xt[b]), yt[b]); opt.zero_grad(); loss.backward(); opt.step(); L.append(loss.item())
    with torch.no_grad():
        o = net(Xv); vl = ce(o, yv).item(); acc = (o.argmax(1) == yv).float().mean().item()
    if ep % 4 == 3:
        print(f"ep {ep+1}: train {np.mean(L):.3f} val {vl:.3f} acc {acc:.3f} sat {sat()}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": float(np.mean(L)), "chance_acc": 1/6, "sat_frac": sat()}))
