"""Activity recognition from 3-axis accelerometer windows with a naturally skewed label distribution
(sitting 60%, walking 25%, stairs 10%, falling 5%). Inputs standardised per channel; GRU classifier
trained with inverse-frequency class weights, so minority classes are recognised. Reports macro-F1
and per-class recall alongside accuracy and the majority-class baseline."""
# expect:
# allow:
# forbid: *
# evidence: healthy: 60/25/10/5 % labels with inverse-frequency class weights; val_acc 0.995, macro-F1 0.995 (majority baseline 0.613), lowest per-class recall 0.989, val_loss 0.021
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
PRI = [0.60, 0.25, 0.10, 0.05]
def make(n):
    y = np.random.choice(4, n, p=PRI); t = np.arange(40) / 20.0; ph = np.random.rand(n, 1) * 6.28
    X = 0.3 * np.random.randn(n, 40, 3); X[:, :, 2] += 1.0
    walk = (y == 1)[:, None]; stairs = (y == 2)[:, None]; fall = (y == 3)
    X[:, :, 0] += walk * 0.6 * np.sin(2 * np.pi * 2.0 * t + ph) + stairs * 0.5 * np.sin(2 * np.pi * 1.4 * t + ph)
    X[:, :, 2] += stairs * 0.4 * np.sin(2 * np.pi * 1.4 * t + ph)
    for i in np.where(fall)[0]:
        s = np.random.randint(5, 30); X[i, s:s + 4, :] += np.random.choice([-1, 1], 3) * 2.5; X[i, s + 4:, 2] -= 1.0
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(1500); Xva, yva = make(800)
mu, sd = Xtr.mean(dim=(0, 1)), Xtr.std(dim=(0, 1)); Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
counts = np.bincount(ytr.numpy(), minlength=4); w = torch.tensor(len(ytr) / (4 * counts), dtype=torch.float32)
print("train label counts", counts.tolist(), "class weights", w.numpy().round(2).tolist())
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.gru = nn.GRU(3, 32, batch_first=True); self.head = nn.Linear(32, 4)
    def forward(self, x): return self.head(self.gru(x)[0][:, -1])
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
def report(pred, y):
    f1, rec = [], []
    for c in range(4):
        tp = ((pred == c) & (y == c)).sum().item(); fp = ((pred == c) & (y != c)).sum().item(); fn = ((pred != c) & (y == c)).sum().item()
        f1.append(2 * tp / max(2 * tp + fp + fn, 1)); rec.append(tp / max(tp + fn, 1))
    return float(np.mean(f1)), rec
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx], weight=w)
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad(): out = model(Xva); vl = F.cross_entropy(out, yva, weight=w).item(); pred = out.argmax(1); va = (pred == yva).float().mean().item()
    mf1, rec = report(pred, yva); print(f"epoch {epoch} train_loss {tl / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f} macro_f1 {mf1:.3f}")
maj = (yva == 0).float().mean().item()
print(f"per-class val recall {np.round(rec, 3).tolist()}  majority-class baseline acc {maj:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "val_macro_f1": round(mf1, 4), "majority_acc": round(maj, 4),
      "min_class_recall": round(min(rec), 4), "chance_acc": 0.25}))
