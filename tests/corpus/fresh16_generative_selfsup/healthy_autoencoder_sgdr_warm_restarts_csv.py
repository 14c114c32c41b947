"""Undercomplete MLP autoencoder on the sklearn digits, SGD + Nesterov momentum (lr 0.5) with
CosineAnnealingWarmRestarts (T_0=5, T_mult=2). Each restart jumps the lr back up; the first short cycle
sits near the mean-image loss and the later cycles keep improving -- the lr
saw-tooth is the schedule, not instability. Logs epoch, lr, train and val MSE to CSV.
"""
# expect:
# allow:
# forbid: *
# evidence: saw-tooth lr (restarts at epochs 6 and 16, lr back to 0.5); val MSE at the end of each cycle 0.0610 -> 0.0267 -> 0.0162, final 0.0162 = 0.225 of pixel variance, train 0.0154 (no gap)
# native-log: history.csv
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.2, random_state=5)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 12), nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 64), nn.Sigmoid())
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=1e-3)
EPOCHS, BS = 35, 32
nb = (len(Xtr) + BS - 1) // BS
f = open(os.path.join(LOG_DIR, "history.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "lr", "train_loss", "val_loss"])
var = Xva.var(0).mean().item()
for ep in range(EPOCHS):
    perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    lr0 = opt.param_groups[0]["lr"]
    for b, i in enumerate(range(0, len(Xtr), BS)):
        xb = Xtr[perm[i:i + BS]]
        loss = F.mse_loss(model(xb), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        sched.step(ep + (b + 1) / nb)
        tot += loss.item() * len(xb); n += len(xb)
    with torch.no_grad():
        v = F.mse_loss(model(Xva), Xva).item()
    w.writerow([ep + 1, f"{lr0:.5f}", f"{tot / n:.6f}", f"{v:.6f}"]); f.flush()
    print(f"epoch {ep + 1:2d} lr(start) {lr0:.4f} train MSE {tot / n:.5f} val MSE {v:.5f}")
f.close()
print(f"final val MSE {v:.5f} = {v / var:.3f} of pixel variance {var:.5f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5), "target_variance": round(var, 5), "val_relative_mse": round(v / var, 4),
                                     "train_mse": round(tot / n, 5)}))
