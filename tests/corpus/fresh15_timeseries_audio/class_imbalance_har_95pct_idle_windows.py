"""Wrist-sensor activity recognition (idle / walk / cycle / brush-teeth) from 2-second 3-axis windows,
recorded from office workers: 95% of the windows are 'idle'. Plain cross-entropy, no weighting, no
resampling; the small Conv1d net learns to answer 'idle'. --control records the same number of
windows with balanced classes (train and val)."""
# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (95% idle): predicts idle for 100% of val windows, val_acc 0.953 = majority baseline 0.953, macro-F1 0.244 (per-class F1 0.976/0/0/0); control (balanced): macro-F1 0.604, val_acc 0.639 vs majority 0.267, idle predicted for 7%
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
PRI = [0.25, 0.25, 0.25, 0.25] if CONTROL else [0.95, 0.02, 0.015, 0.015]
def make(n):
    y = np.random.choice(4, n, p=PRI); t = np.arange(50) / 25.0
    X = 0.6 * np.random.randn(n, 3, 50)
    f = np.array([0.0, 1.9, 1.2, 4.0])[y]; a = np.array([0.0, 0.45, 0.4, 0.35])[y]
    ph = np.random.rand(n) * 6.28
    X[:, 0] += a[:, None] * np.sin(2 * np.pi * f[:, None] * t + ph[:, None])
    X[:, 1] += (y == 2)[:, None] * 0.3 * np.cos(2 * np.pi * 1.2 * t + ph[:, None])
    X[:, 2] += (y == 3)[:, None] * 0.3 * np.sin(2 * np.pi * 4.0 * t + ph[:, None])
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(2000); Xva, yva = make(1000)
print("train label counts", np.bincount(ytr.numpy(), minlength=4).tolist(), "val label counts", np.bincount(yva.numpy(), minlength=4).tolist())
model = nn.Sequential(nn.Conv1d(3, 16, 7, padding=3), nn.ReLU(), nn.Conv1d(16, 16, 7, padding=3), nn.ReLU(),
                      nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
def macro_f1(pred, y):
    f1s = []
    for c in range(4):
        tp = ((pred == c) & (y == c)).sum().item(); fp = ((pred == c) & (y != c)).sum().item(); fn = ((pred != c) & (y == c)).sum().item()
        f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
    return float(np.mean(f1s)), f1s
for epoch in range(8):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); pred = out.argmax(1); va = (pred == yva).float().mean().item()
    mf1, f1s = macro_f1(pred, yva)
    print(f"epoch {epoch} train_loss {tl / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} macro_f1 {mf1:.3f}")
frac_pred_idle = (pred == 0).float().mean().item(); maj = (yva == 0).float().mean().item()
print(f"per-class val F1 {np.round(f1s, 3).tolist()}  predicted idle fraction {frac_pred_idle:.3f}  majority-class baseline acc {maj:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_macro_f1": round(mf1, 4), "majority_acc": round(maj, 4),
      "pred_idle_frac": round(frac_pred_idle, 4), "chance_acc": 0.25}))
