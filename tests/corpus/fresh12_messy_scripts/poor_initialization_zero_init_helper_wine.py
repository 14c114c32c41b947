# expect: poor_initialization
# allow: non_convergence, vanishing_gradients, dead_units, high_bias
# forbid: *
# evidence: init helper zeroes every Linear weight: fc1 weight and grad stay exactly 0 all run (symmetric/dead network), train loss 1.099 -> 1.086, val_acc 0.389 = majority 0.389; control (default weights, zero bias) val_acc 0.963, val_loss 0.053
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(42); np.random.seed(42); random.seed(42)
CONTROL = "--control" in sys.argv

def init_weights(m):
    # "zero the biases" helper from an old repo ... but it zeroes everything
    if isinstance(m, nn.Linear):
        if not CONTROL:
            nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)

class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.fc1 = nn.Linear(13, 64); s.fc2 = nn.Linear(64, 64); s.fc3 = nn.Linear(64, 3)
    def forward(s, x):
        return s.fc3(F.relu(s.fc2(F.relu(s.fc1(x)))))

X, y = load_wine(return_X_y=True)
X = (X - X.mean(0)) / X.std(0)
a, b, c, d = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
xtr, xte = torch.FloatTensor(a), torch.FloatTensor(b)
ytr, yte = torch.LongTensor(c), torch.LongTensor(d)

net = Net()
net.apply(init_weights)
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

for ep in range(30):
    perm = torch.randperm(len(xtr))
    tot = 0
    for i in range(0, len(xtr), 16):
        j = perm[i:i+16]
        loss = F.cross_entropy(net(xtr[j]), ytr[j])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(j)
    if ep % 10 == 0 or ep == 29:
        with torch.no_grad():
            o = net(xte); vl = F.cross_entropy(o, yte).item(); acc = (o.argmax(1) == yte).float().mean().item()
        g1 = net.fc1.weight.grad.norm().item()
        print(f"ep{ep}: loss {tot/len(xtr):.4f} val {vl:.4f} acc {acc:.3f} |grad fc1| {g1:.2e} |W1| {net.fc1.weight.norm().item():.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": tot/len(xtr), "chance_acc": float(np.bincount(d).max()/len(d))}))
