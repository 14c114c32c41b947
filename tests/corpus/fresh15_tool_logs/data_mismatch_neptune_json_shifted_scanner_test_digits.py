"""Digits MLP; train and validation come from the original scans, but the separate TEST split
("from the new scanner") is offset by one pixel to the right and has 85% of the contrast.
Metrics are exported as a Neptune-style JSON list of series
([{"name": "train/loss", "values": [{"step", "value", "timestamp"}]}, ...]) including test/acc
and test/loss as their own series, evaluated every epoch. --control draws the test split the same
way as train/val (no shift, same contrast) - the only change.
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: control (test drawn like train/val) gives test_acc 0.969, test_loss 0.075 next to val_acc 0.967, val_loss 0.127; planted (shifted, lower-contrast test scans) gives test_acc 0.456, test_loss 2.44 while val_acc stays 0.967 and train_acc 0.999
# control: --control
# native-log: neptune_export/series.json
# log-expect: data_mismatch
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
SERIES = {}
def log_series(name, value, step):
    SERIES.setdefault(name, []).append({"step": step, "value": float(value), "timestamp": int(time.time() * 1000)})
def export():
    os.makedirs(os.path.join(LOG_DIR, "neptune_export"), exist_ok=True)
    with open(os.path.join(LOG_DIR, "neptune_export", "series.json"), "w") as f:
        json.dump([{"name": k, "values": v} for k, v in SERIES.items()], f, indent=1)

X, y = load_digits(return_X_y=True)
X = X.reshape(-1, 8, 8) / 16.0
Xa, Xte, ya, yte = train_test_split(X, y, test_size=0.25, random_state=6, stratify=y)
Xtr, Xva, ytr, yva = train_test_split(Xa, ya, test_size=0.2, random_state=6, stratify=ya)
if not CONTROL:   # new scanner: 1 px offset to the right, 85% contrast
    Xte = np.roll(Xte, 1, axis=2); Xte[:, :, 0] = 0; Xte = 0.85 * Xte
t = lambda a: torch.tensor(((a - 0.5) / 0.5).reshape(len(a), 64), dtype=torch.float32)
Xtr, Xva, Xte = t(Xtr), t(Xva), t(Xte); ytr, yva, yte = torch.tensor(ytr), torch.tensor(yva), torch.tensor(yte)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
for epoch in range(25):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        ov, ot = model(Xva), model(Xte)
        vl, va = F.cross_entropy(ov, yva).item(), (ov.argmax(1) == yva).float().mean().item()
        tl, ta = F.cross_entropy(ot, yte).item(), (ot.argmax(1) == yte).float().mean().item()
    log_series("train/loss", tot / len(Xtr), epoch); log_series("val/loss", vl, epoch); log_series("val/acc", va, epoch)
    log_series("test/loss", tl, epoch); log_series("test/acc", ta, epoch)
    if epoch % 5 == 0 or epoch == 24:
        print(f"epoch {epoch} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} test_loss {tl:.4f} test_acc {ta:.4f}")
export()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item(); tra = (model(Xtr).argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "test_loss": round(tl, 4), "test_acc": round(ta, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4), "chance_acc": 0.1}))
