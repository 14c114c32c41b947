"""Vibration-sensor forecasting with sliding windows. Train and val windows come from
sensor A (chronological split); the 'test' windows were loaded from the file of sensor B
(a different unit: 1.6x gain, offset +2, faster 37-step cycle) and pushed through sensor A's
normalisation. Val looks fine, test is much worse. --control takes the test windows from
a later, unseen stretch of sensor A. JSON-lines log with train/val/test mse in
$CORPUS_LOG_DIR/metrics.jsonl."""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: planted: val_mse 0.119 (val variance 0.97) but test_mse 1.008 on sensor-B windows (8.5x val); control (test from later sensor-A stretch) test_mse 0.114; train_mse 0.103
# control: --control
# native-log: metrics.jsonl
# log-expect: data_mismatch
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

CONTROL = "--control" in sys.argv
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
rng = np.random.RandomState(0)

def sensor(n, period, gain, offset):
    t = np.arange(n)
    return offset + gain * (np.sin(2 * np.pi * t / period) + 0.5 * np.sin(2 * np.pi * t / (period * 3.7))) + 0.25 * rng.randn(n)

A = sensor(5000, 60, 1.0, 0.0)
B = sensor(1200, 37, 1.6, 2.0)
mu, sd = A[:3000].mean(), A[:3000].std()
W = 32

class Win(Dataset):
    def __init__(self, s): self.s = torch.tensor(((s - mu) / sd).astype(np.float32))
    def __len__(self): return len(self.s) - W
    def __getitem__(self, i): return self.s[i:i + W], self.s[i + W]

tr, va = Win(A[:3000]), Win(A[3050:3800])
te = Win(A[3850:]) if CONTROL else Win(B)          # BUG: test windows from another sensor
dl = DataLoader(tr, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(W, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def mse(ds):
    x = torch.stack([ds[i][0] for i in range(len(ds))]); t = torch.stack([ds[i][1] for i in range(len(ds))])
    with torch.no_grad(): return nn.functional.mse_loss(model(x).squeeze(1), t).item(), t.var().item()

f = open(os.path.join(log_dir, "metrics.jsonl"), "w")
for ep in range(12):
    model.train(); tot = n = 0
    for xb, yb in dl:
        opt.zero_grad(); loss = nn.functional.mse_loss(model(xb).squeeze(1), yb); loss.backward(); opt.step()
        tot += loss.item() * len(yb); n += len(yb)
    model.eval(); (vm, vvar), (tm, tvar) = mse(va), mse(te)
    rec = {"epoch": ep, "train_mse": round(tot / n, 5), "val_mse": round(vm, 5), "test_mse": round(tm, 5)}
    f.write(json.dumps(rec) + "\n"); print(rec)
f.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "test_mse": round(tm, 4), "val_target_var": round(vvar, 4), "test_target_var": round(tvar, 4), "train_mse": round(tot / n, 4)}))
