# expect:
# allow:
# forbid: *
# evidence: 16 tags with 3.4-7.8% positives; val macro-F1 0.676 -> 0.719, min tag F1 0.59, label accuracy 0.9665 vs 0.947 for all-negative; val_loss 0.222 -> 0.135 still falling
"""Multi-label tagging with naturally sparse targets: 16 tags, each positive for only 3-8% of the
items. BCEWithLogitsLoss with per-tag pos_weight = sqrt(n_neg/n_pos), per-tag threshold 0.5, per-tag F1
and macro-F1 reported. The BCE value stays high-ish (pos_weight inflates it) - that is expected."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)

N, D, L = 6000, 30, 16
X = np.random.randn(N, D)
W = np.random.randn(D, L) / np.sqrt(D) * 2.5
Z = X @ W + 0.4 * np.random.randn(N, L) + 0.3 * np.tanh(X[:, :L] * X[:, D - L:])
rates = np.random.uniform(0.03, 0.08, L)
thr = np.array([np.quantile(Z[:, j], 1 - rates[j]) for j in range(L)])
Y = (Z > thr).astype(np.float32)
X = torch.tensor(X, dtype=torch.float32); Y = torch.tensor(Y)
Xtr, Ytr, Xva, Yva = X[:4800], Y[:4800], X[4800:], Y[4800:]
pos = Ytr.sum(0); pos_weight = ((len(Ytr) - pos) / pos).sqrt()   # softened pos_weight (sqrt of neg/pos)
print("positive rate per tag:", " ".join(f"{v:.3f}" for v in Ytr.mean(0).tolist()))

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, L))
crit = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)

def f1s(logits, y):
    p = (logits > 0).float()
    tp = (p * y).sum(0); fp = (p * (1 - y)).sum(0); fn = ((1 - p) * y).sum(0)
    return (2 * tp / (2 * tp + fp + fn).clamp(min=1))
for ep in range(18):
    model.train(); perm = torch.randperm(len(Xtr)); tl = []
    for b in perm.split(128):
        loss = crit(model(Xtr[b]), Ytr[b]); opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    model.eval()
    with torch.no_grad():
        lv = model(Xva); vl = crit(lv, Yva).item(); f1 = f1s(lv, Yva)
    if ep % 3 == 0 or ep == 17: print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_macro_f1 {f1.mean():.3f}")
print("per-tag val F1:", " ".join(f"{v:.2f}" for v in f1.tolist()))
allneg_acc = (1 - Yva).mean().item(); acc = ((lv > 0).float() == Yva).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_macro_f1": round(f1.mean().item(), 4), "val_min_tag_f1": round(f1.min().item(), 4),
      "val_label_acc": round(acc, 4), "all_negative_label_acc": round(allneg_acc, 4), "train_loss": round(float(np.mean(tl)), 4),
      "pos_rate": round(Ytr.mean().item(), 4)}))
