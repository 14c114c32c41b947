"""SCARF-style contrastive pretraining on digit feature vectors (tabular view: 64 pixel
columns). Two views per row: a random 40% of features replaced by values drawn from their
empirical marginal, plus small Gaussian noise. NT-Xent (tau=0.5) with batch 256: the loss
has a high floor (it stays well above 0; log(2N-1) ~ 6.2 is chance) and flattens early,
while the frozen-encoder linear probe (trained on only 100 labelled rows) keeps improving.
"""
# expect:
# allow:
# forbid: *
# evidence: NT-Xent plateaus high (5.89 -> 5.17, chance log(2N-1)=6.24) while the 100-label linear probe on frozen features goes 0.830 (random encoder) -> 0.843 -> 0.848 -> 0.846 test acc (chance 0.10)
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

d = load_digits()
X = (d.data / 16.0).astype(np.float32)
Xtr, Xte, ytr, yte = train_test_split(X, d.target, test_size=0.3, random_state=0, stratify=d.target)
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-3
Xtr_s, Xte_s = torch.tensor((Xtr - mu) / sd), torch.tensor((Xte - mu) / sd)

enc = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128))
head = nn.Sequential(nn.ReLU(), nn.Linear(128, 64))
opt = torch.optim.Adam(list(enc.parameters()) + list(head.parameters()), lr=1e-3, weight_decay=1e-5)

def corrupt(x, p=0.4):
    m = torch.rand_like(x) < p
    rows = torch.randint(0, len(Xtr_s), x.shape)
    marg = Xtr_s[rows, torch.arange(x.shape[1]).expand_as(rows)]
    return torch.where(m, marg, x) + 0.1 * torch.randn_like(x)

def nt_xent(z1, z2, tau=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.T / tau
    n = len(z1)
    sim.fill_diagonal_(float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)

def probe():
    with torch.no_grad():
        a, b = enc(Xtr_s).numpy(), enc(Xte_s).numpy()
    clf = LogisticRegression(max_iter=500).fit(a[LAB], ytr[LAB])  # only 100 labelled rows
    return clf.score(b, yte)

LAB = np.random.RandomState(1).choice(len(Xtr), 100, replace=False)
acc0 = probe()
print(f"epoch  0 probe acc (random encoder) {acc0:.4f}")
EPOCHS, BS = 12, 256
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(Xtr_s)); tot = 0; nb = 0
    for i in range(0, len(Xtr_s) - BS + 1, BS):
        xb = Xtr_s[perm[i:i + BS]]
        loss = nt_xent(head(enc(corrupt(xb))), head(enc(corrupt(xb))))
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item(); nb += 1
    msg = f"epoch {ep:2d} nt-xent {tot / nb:.4f} (chance log(2N-1)={np.log(2 * BS - 1):.3f})"
    if ep % 4 == 0:
        msg += f" | linear probe test acc {probe():.4f}"
    print(msg)
acc = probe()
print("CORPUS_METRIC " + json.dumps({"probe_test_acc": round(acc, 4), "probe_acc_random_encoder": round(acc0, 4),
                                     "chance_acc": 0.1, "final_contrastive_loss": round(tot / nb, 4)}))
