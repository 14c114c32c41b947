# expect:
# allow:
# forbid: *
# evidence: checkpointed residual MLP on breast cancer: best-epoch (5) state restored, val_acc 0.947, val_loss 0.165 (majority 0.626); val loss stays 0.165-0.186 after epoch 3 while train loss goes 0.08 -> 0.03; metric: val_acc
"""Residual MLP whose blocks live in an nn.ModuleDict built in a loop, with per-block learnable
gates in an nn.ParameterList, each block run under torch.utils.checkpoint (use_reentrant=False).
Trains on breast-cancer with AdamW + OneCycleLR; early-stops on val loss and restores the best state."""
import os, sys, json, random, copy
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.checkpoint import checkpoint
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xva = torch.tensor(sc.transform(Xtr), dtype=torch.float32), torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr, yva = torch.tensor(ytr, dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)

class ResNetMLP(nn.Module):
    def __init__(self, d_in, d=32, n=4):
        super().__init__()
        self.stem = nn.Linear(d_in, d)
        self.blocks = nn.ModuleDict()
        for i in range(n):
            self.blocks[f"block{i}"] = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.GELU(), nn.Dropout(0.2), nn.Linear(d, d))
        self.gates = nn.ParameterList([nn.Parameter(torch.tensor(0.1)) for _ in range(n)])
        self.head = nn.Linear(d, 1)
    def forward(self, x):
        h = self.stem(x)
        for (name, blk), g in zip(self.blocks.items(), self.gates):
            h = h + g * checkpoint(blk, h, use_reentrant=False)
        return self.head(h).squeeze(1)
model = ResNetMLP(30)
EPOCHS, B = 12, 32
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=EPOCHS * ((len(Xtr) + B - 1) // B))
best = (1e9, None, 0)
for ep in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), B):
        idx = perm[i:i + B]
        loss = F.binary_cross_entropy_with_logits(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.binary_cross_entropy_with_logits(out, yva).item()
        va = ((out > 0).float() == yva).float().mean().item()
    if vl < best[0]: best = (vl, copy.deepcopy(model.state_dict()), ep)
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} lr {sched.get_last_lr()[0]:.2e}")
model.load_state_dict(best[1]); model.eval()
with torch.no_grad():
    out = model(Xva); vl = F.binary_cross_entropy_with_logits(out, yva).item(); va = ((out > 0).float() == yva).float().mean().item()
    tl = F.binary_cross_entropy_with_logits(model(Xtr), ytr).item()
print(f"restored best epoch {best[2]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
