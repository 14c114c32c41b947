# expect: data_mismatch
# allow:
# forbid: *
# evidence: test split from 'scanner B' (1-px shift + noise std 0.5): train_acc 0.997, val_acc 0.971 (val_loss 0.105) but test_acc 0.144, test_loss 4.41; control (test drawn from scanner A like train/val): test_acc 0.980, test_loss 0.087 -- train and val are identical in both runs
# control: --control
"""Train/val are scans from scanner A. The 'final test set' the team was handed later is the second
scanning batch (scanner B): the page sits one pixel lower-right and there is more sensor noise.
Control: the test split is drawn from scanner A like train/val."""
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
tmp = tempfile.mkdtemp()
X, y = load_digits(return_X_y=True)
p = np.random.permutation(len(X))

def scanner_b(x):
    img = x.reshape(-1, 8, 8)
    shifted = np.zeros_like(img); shifted[:, 1:, 1:] = img[:, :-1, :-1]
    noisy = shifted + np.random.RandomState(1).normal(0, 0.5, shifted.shape)
    return np.clip(noisy, 0, 16).reshape(-1, 64)

xte_raw = X[p[1450:]]
if "--control" not in sys.argv:
    xte_raw = scanner_b(xte_raw)
for name, (xs, ys) in {"train": (X[p[:1100]], y[p[:1100]]), "val": (X[p[1100:1450]], y[p[1100:1450]]),
                       "test": (xte_raw, y[p[1450:]])}.items():
    np.savez(os.path.join(tmp, f"{name}.npz"), x=xs, y=ys)

def load_split(name):
    d = np.load(os.path.join(tmp, f"{name}.npz"))
    return (d["x"] / 16.0).astype(np.float32), d["y"]

xtr, ytr = load_split("train"); xva, yva = load_split("val"); xte, yte = load_split("test")
mu, sd = xtr.mean(0), xtr.std(0) + 0.1
norm = lambda a: torch.tensor((a - mu) / sd)
Xtr, Xva, Xte = norm(xtr), norm(xva), norm(xte)
Ytr, Yva, Yte = torch.tensor(ytr), torch.tensor(yva), torch.tensor(yte)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for ep in range(15):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 32):
        b = perm[i:i+32]
        loss = F.cross_entropy(model(Xtr[b]), Ytr[b]); opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = F.cross_entropy(o, Yva).item(); va = (o.argmax(1) == Yva).float().mean().item()
    if ep % 3 == 2:
        print(f"ep {ep+1} train {tl/len(Xtr):.4f} val {vl:.4f} val_acc {va:.3f}")

with torch.no_grad():
    o = model(Xte); tel = F.cross_entropy(o, Yte).item(); tea = (o.argmax(1) == Yte).float().mean().item()
    trl = F.cross_entropy(model(Xtr), Ytr).item(); tra = (model(Xtr).argmax(1) == Ytr).float().mean().item()
print(f"train acc {tra:.3f} | val acc {va:.3f} | test acc {tea:.3f}")
print("CORPUS_METRIC " + json.dumps({"train_loss": trl, "train_acc": tra, "val_loss": vl, "val_acc": va, "test_loss": tel, "test_acc": tea, "chance_acc": 0.1}))
