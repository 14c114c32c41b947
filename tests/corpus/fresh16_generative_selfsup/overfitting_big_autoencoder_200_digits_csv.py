"""Over-parameterised MLP autoencoder (64-384-384-8-384-384-64, ~0.35M params) trained for
many epochs with Adam and no regularisation on a 200-image debug subset of the digits that
was never switched back to the full training set. Train reconstruction keeps falling while
the held-out reconstruction bottoms out and rises. --control trains on the full 1,347-image
training split (same model, same epochs budget in steps).
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (200 images): from epoch 50 to 80 train MSE keeps falling 0.0079 -> 0.0041 while val stalls and turns up (best 0.0209 @ epoch 62, final 0.0213; 5.2x gap); control (full 1347 images): val 0.0142 still improving at epoch 80, train 0.0109
# control: --control
# native-log: ae_history.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X = load_digits().data.astype(np.float32) / 16.0
Xtr, Xva = train_test_split(X, test_size=0.25, random_state=0)
if not CONTROL:
    Xtr = Xtr[:200]          # DEBUG subset left in
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)

model = nn.Sequential(nn.Linear(64, 384), nn.ReLU(), nn.Linear(384, 384), nn.ReLU(), nn.Linear(384, 8),
                      nn.Linear(8, 384), nn.ReLU(), nn.Linear(384, 384), nn.ReLU(), nn.Linear(384, 64))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
STEPS_PER_EPOCH, EPOCHS, BS = 5, 80, 50
f = open(os.path.join(LOG_DIR, "ae_history.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "val_loss"])
best = (1e9, 0)
for ep in range(1, EPOCHS + 1):
    model.train(); tot = 0
    for _ in range(STEPS_PER_EPOCH):
        xb = Xtr[torch.randint(0, len(Xtr), (BS,))]
        loss = F.mse_loss(model(xb), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item()
    model.eval()
    with torch.no_grad():
        tl = F.mse_loss(model(Xtr), Xtr).item()
        v = F.mse_loss(model(Xva), Xva).item()
    best = min(best, (v, ep))
    w.writerow([ep, f"{tl:.6f}", f"{v:.6f}"]); f.flush()
    if ep % 10 == 0 or ep == 1:
        print(f"epoch {ep:2d} train recon-MSE {tl:.5f}  val recon-MSE {v:.5f}  (best val {best[0]:.5f} @ {best[1]})")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5), "train_mse": round(tl, 5), "best_val_mse": round(best[0], 5),
                                     "best_epoch": best[1], "n_train": len(Xtr), "target_variance": round(Xva.var(0).mean().item(), 5)}))
