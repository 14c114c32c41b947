"""Two-part model (feature extractor + classifier head) on digits. The optimiser was built from
model.head.parameters() only (a leftover from a linear-probe experiment), so the randomly
initialised narrow backbone is never trained. --control passes model.parameters()."""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (NAdam on all 2,348 params) train_acc 1.000, train_loss 0.005, val_acc 0.961; planted (optimiser holds only the 70 head params) train_acc 0.455, train_loss 1.96 after 25 epochs (still creeping down), val_acc 0.461 (chance 0.10)
# control: --control
import os, sys, json, random
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=5, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 6), nn.ReLU())
        self.head = nn.Linear(6, 10)
    def forward(self, x):
        return self.head(self.backbone(x))

model = Net()
params = model.parameters() if CONTROL else model.head.parameters()
opt = torch.optim.NAdam(params, lr=3e-3)
n_opt = sum(p.numel() for g in opt.param_groups for p in g["params"]); n_all = sum(p.numel() for p in model.parameters())
print(f"optimiser holds {n_opt}/{n_all} parameters")
for epoch in range(25):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        tr_out = model(Xtr); trl = F.cross_entropy(tr_out, ytr).item(); tra = (tr_out.argmax(1) == ytr).float().mean().item()
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    if epoch % 4 == 0 or epoch == 24:
        print(f"epoch {epoch:2d} train_loss {trl:.4f} train_acc {tra:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))
