# expect: high_bias
# allow: non_convergence, dead_units, learning_rate_too_low
# forbid: *
# evidence: encoder (64-64-8, ReLU) + head on load_digits with two Adam param groups (low lr "backbone", high lr "head"); the group filter matches name prefix "backbone." but the module is called "encoder", so the encoder (4680 of 5298 params) is never updated (its grads are still computed): planted train_acc 0.43, train_loss 1.82, val_acc 0.40; encoder updates are exactly 0 (hence learning_rate_too_low allowed) and 44% of the head ReLUs never fire at the end (dead_units allowed); control (--control, filter on "encoder.") train_acc 0.99, train_loss 0.049, val_acc 0.964 (chance 0.10)
# control: --control
import os, sys, json, random
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
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1.0
Xtr = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); Xva = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 8), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 10))

    def forward(self, x):
        return self.head(self.encoder(x))


model = Net()
prefix = "encoder." if CONTROL else "backbone."
backbone = [p for n, p in model.named_parameters() if n.startswith(prefix)]
head = [p for n, p in model.named_parameters() if n.startswith("head.")]
print(f"params in optimiser: backbone {sum(p.numel() for p in backbone)}, head {sum(p.numel() for p in head)}, model {sum(p.numel() for p in model.parameters())}")
opt = torch.optim.Adam([{"params": backbone, "lr": 1e-3}, {"params": head, "lr": 3e-3}])
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
for ep in range(10):
    model.train(); tot = 0.0
    for xb, yb in loader:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward(); opt.step()
        tot += loss.item() * len(xb)
    model.eval()
    with torch.no_grad():
        out = model(Xva); tr_out = model(Xtr)
    vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item(); tl = tot / len(Xtr)
    ta = (tr_out.argmax(1) == ytr).float().mean().item()
    print(f"epoch {ep} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.1}))
