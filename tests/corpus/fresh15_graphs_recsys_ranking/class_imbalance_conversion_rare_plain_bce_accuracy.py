# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: 2.7% positives; planted (plain BCE) val_acc 0.9717 vs majority 0.9733, predicts positive for 0.23% of sessions, recall 0.013, balanced acc 0.505; control (pos_weight=n_neg/n_pos) recall 0.863, balanced acc 0.866
# control: --control
"""PLANTED: conversion prediction where only ~2.7% of sessions convert. Plain BCEWithLogitsLoss,
threshold 0.5, and the script proudly reports accuracy (~0.97): the model predicts "no
conversion" for essentially everyone (recall 0). Control: the same model with the imbalance
handled (pos_weight = n_neg / n_pos in the BCE). Wide-and-deep style net: categorical embeddings
(device, country, hour-of-day) + standardised numeric features."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

N = 12000
dev = np.random.randint(0, 4, N); ctry = np.random.randint(0, 30, N); hour = np.random.randint(0, 24, N)
num = np.random.randn(N, 8)
ctry_eff = np.random.randn(30) * 0.5; dev_eff = np.array([0.0, 0.4, -0.3, 0.2])
logit = 2.0 * num[:, 0] + 1.0 * num[:, 1] - 0.8 * num[:, 2] * num[:, 3] + ctry_eff[ctry] + dev_eff[dev] \
        + 0.5 * np.sin(hour / 24 * 2 * np.pi) - 6.0
y = (np.random.rand(N) < 1 / (1 + np.exp(-logit))).astype(np.float32)
T = lambda a, dt=torch.long: torch.tensor(a, dtype=dt)
cat = torch.stack([T(dev), T(ctry), T(hour)], 1); numt = T(num, torch.float32); yt = T(y, torch.float32)
tr, va = slice(0, 9000), slice(9000, N)
print(f"positive rate train {yt[tr].mean():.4f} val {yt[va].mean():.4f}")

class WideDeep(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList([nn.Embedding(n, 8) for n in (4, 30, 24)])
        self.deep = nn.Sequential(nn.Linear(24 + 8, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))
        self.wide = nn.Linear(8, 1)
    def forward(self, c, x):
        e = torch.cat([emb(c[:, k]) for k, emb in enumerate(self.embs)], 1)
        return (self.deep(torch.cat([e, x], 1)) + self.wide(x)).squeeze(-1)

model = WideDeep()
pw = ((1 - yt[tr]).sum() / yt[tr].sum()) if CONTROL else None
crit = nn.BCEWithLogitsLoss(pos_weight=pw)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def stats(lg, y):
    p = (lg > 0).float()
    tp = (p * y).sum(); fn = ((1 - p) * y).sum(); tn = ((1 - p) * (1 - y)).sum(); fp = (p * (1 - y)).sum()
    rec = (tp / (tp + fn)).item(); spec = (tn / (tn + fp)).item()
    f1 = (2 * tp / (2 * tp + fp + fn).clamp(min=1)).item()
    return (p == y).float().mean().item(), rec, 0.5 * (rec + spec), f1, p.mean().item()
for ep in range(12):
    perm = torch.randperm(9000); tl = []
    for b in perm.split(256):
        loss = crit(model(cat[tr][b], numt[tr][b]), yt[tr][b]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    with torch.no_grad():
        lv = model(cat[va], numt[va]); vl = F.binary_cross_entropy_with_logits(lv, yt[va]).item()
        acc, rec, bacc, f1, ppos = stats(lv, yt[va])
    if ep % 3 == 0 or ep == 11:
        print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_bce {vl:.4f} val_acc {acc:.4f} recall {rec:.3f} balanced_acc {bacc:.3f} f1 {f1:.3f} predicted_pos_frac {ppos:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(acc, 4), "val_recall": round(rec, 4), "val_balanced_acc": round(bacc, 4),
      "val_f1": round(f1, 4), "predicted_pos_frac": round(ppos, 4), "majority_acc": round(1 - yt[va].mean().item(), 4), "train_loss": round(float(np.mean(tl)), 4)}))
