# expect:
# allow:
# forbid: *
# evidence: raw wine features normalised by an in-model EMA buffer, spectral-norm layers, grad-clamp hooks, dropout 0.5: val_acc 1.00, val_loss 0.030 (majority 0.389); hooked-feature nearest-centroid probe 1.00; metric: val_acc
# native-log: metrics.jsonl
# log-expect:
# log-allow:
"""A custom input normaliser module with register_buffer running mean/var updated inside forward
(EMA, only in train mode), spectral_norm-parametrised hidden layers, per-parameter gradient
clipping via p.register_hook(lambda g: g.clamp(-0.5, 0.5)), and a forward hook that collects
penultimate features for a linear-probe sanity check. Wine-quality-like task: sklearn wine,
features fed RAW (the in-model normaliser handles scale), with heavy dropout (train loss > val loss)."""
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
class RunningNorm(nn.Module):
    def __init__(self, d, momentum=0.1):
        super().__init__(); self.m = momentum
        self.register_buffer("mean", torch.zeros(d)); self.register_buffer("var", torch.ones(d))
        self.register_buffer("initialised", torch.tensor(False))
    def forward(self, x):
        if self.training:
            with torch.no_grad():
                bm, bv = x.mean(0), x.var(0, unbiased=False)
                if not self.initialised:
                    self.mean.copy_(bm); self.var.copy_(bv); self.initialised.fill_(True)
                else:
                    self.mean.lerp_(bm, self.m); self.var.lerp_(bv, self.m)
        return (x - self.mean) / torch.sqrt(self.var + 1e-5)
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=3, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(RunningNorm(13), spectral_norm(nn.Linear(13, 64)), nn.ReLU(), nn.Dropout(0.5),
                      spectral_norm(nn.Linear(64, 64)), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 3))
for p in model.parameters(): p.register_hook(lambda g: g.clamp(-0.5, 0.5))
feats = {}
model[6].register_forward_hook(lambda m, i, o: feats.__setitem__("pen", o.detach()))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
log = open(os.path.join(LOG_DIR, "metrics.jsonl"), "w")
for ep in range(40):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 16):
        idx = perm[i:i + 16]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    log.write(json.dumps({"epoch": ep, "train_loss": round(tot / len(Xtr), 5), "val_loss": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
    if ep % 10 == 9: print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f}")
log.close()
with torch.no_grad():
    model(Xtr); ftr = feats["pen"]; model(Xva); fva = feats["pen"]
    cent = torch.stack([ftr[ytr == c].mean(0) for c in range(3)])
    probe = (torch.cdist(fva, cent).argmin(1) == yva).float().mean().item()
    tl = F.cross_entropy(model(Xtr), ytr).item()
print(f"nearest-centroid probe on hooked features: {probe:.3f}; running mean[:3] {model[0].mean[:3].tolist()}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": round(float(np.bincount(yva.numpy()).max() / len(yva)), 4)}))
