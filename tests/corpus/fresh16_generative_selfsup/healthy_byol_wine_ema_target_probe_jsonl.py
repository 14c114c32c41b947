"""BYOL-style self-supervised pretraining on the wine data (13 standardised features, 133
training rows): online encoder + projector + predictor, EMA target network (tau=0.99), loss
2 - 2*cos(p_online, z_target) symmetrised. The loss keeps falling toward 0, which in BYOL is
normal and not a collapse: the frozen features still separate the classes (linear probe on
held-out rows) and the normalised embeddings keep a per-dimension std near 1/sqrt(32)=0.18
(a collapsed encoder would have ~0). Logs JSON lines.
"""
# expect:
# allow:
# forbid: *
# evidence: BYOL loss falls 0.89 (epoch 10) -> 0.42 (epoch 60) with no collapse: embedding per-dim std 0.144 -> 0.150 (collapse ~0); linear probe val acc 1.000 (random encoder 0.978, majority 0.40)
# native-log: byol.jsonl
# log-expect:
# log-allow:
import os, sys, json, copy, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

d = load_wine()
Xtr, Xva, ytr, yva = train_test_split(d.data, d.target, test_size=0.25, random_state=0, stratify=d.target)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32)
Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)

def mlp(i, h, o):
    return nn.Sequential(nn.Linear(i, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Linear(h, o))
online = nn.ModuleDict({"enc": mlp(13, 64, 32), "proj": mlp(32, 64, 16)})
pred = mlp(16, 64, 16)
target = copy.deepcopy(online)
for p in target.parameters():
    p.requires_grad_(False)
opt = torch.optim.Adam(list(online.parameters()) + list(pred.parameters()), lr=1e-3)

def aug(x):
    keep = (torch.rand_like(x) > 0.2).float()
    return x * keep + 0.2 * torch.randn_like(x)

def byol_loss(a, b):
    p = F.normalize(pred(online["proj"](online["enc"](a))), dim=1)
    with torch.no_grad():
        z = F.normalize(target["proj"](target["enc"](b)), dim=1)
    return (2 - 2 * (p * z).sum(1)).mean()

def probe():
    online.eval()
    with torch.no_grad():
        a, b = online["enc"](Xtr), online["enc"](Xva)
    online.train()
    acc = LogisticRegression(max_iter=2000).fit(a.numpy(), ytr).score(b.numpy(), yva)
    return acc, float(F.normalize(b, dim=1).std(0).mean())

log = open(os.path.join(LOG_DIR, "byol.jsonl"), "w")
acc0, _ = probe()
EPOCHS, BS = 60, 32
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr)); tot = 0; nb = 0
    for i in range(0, len(Xtr) - BS + 1, BS):
        xb = Xtr[perm[i:i + BS]]
        v1, v2 = aug(xb), aug(xb)
        loss = byol_loss(v1, v2) + byol_loss(v2, v1)
        opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            for pt, po in zip(target.parameters(), online.parameters()):
                pt.mul_(0.99).add_(0.01 * po)
        tot += loss.item(); nb += 1
    rec = {"epoch": ep, "byol_loss": round(tot / nb, 5)}
    if ep % 10 == 0:
        acc, spread = probe()
        rec.update({"probe_val_acc": acc, "embedding_std": round(spread, 4)})
        print(f"epoch {ep:2d} byol loss {tot / nb:.4f} | probe val acc {acc:.4f} embedding per-dim std {spread:.4f}")
    log.write(json.dumps(rec) + "\n"); log.flush()
log.close()
print("CORPUS_METRIC " + json.dumps({"probe_val_acc": round(acc, 4), "probe_acc_random_encoder": round(acc0, 4), "chance_acc": 0.4,
                                     "final_byol_loss": round(tot / nb, 4), "embedding_std": round(spread, 4)}))
