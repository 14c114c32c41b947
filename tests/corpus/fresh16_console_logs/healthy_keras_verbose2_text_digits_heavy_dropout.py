"""Digits MLP with heavy dropout; the console shows Keras `fit(verbose=2)`-style epoch lines.

The author ported a Keras notebook to plain PyTorch but kept printing the same epoch lines
(running train metrics averaged over the epoch, with dropout on), and tees stdout into
keras_fit.log.  Because of dropout 0.6 the train loss stays ABOVE the val loss all along:
a healthy look-alike, not underfitting.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.960, val_loss 0.109 after 18 epochs (chance 0.10); printed (running, dropout-on) train loss 0.191 stays above val loss all along only because of dropout 0.6: in eval mode the train loss is 0.066
# native-log: keras_fit.log
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="kfit_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "keras_fit.log"), "w")


def echo(s=""):
    print(s)
    _log.write(s + "\n"); _log.flush()


X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.6),
                      nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.6),
                      nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
EPOCHS, BS = 18, 32
steps = (len(Xtr) + BS - 1) // BS

for ep in range(1, EPOCHS + 1):
    echo(f"Epoch {ep}/{EPOCHS}")
    t0 = time.time()
    model.train()
    perm = torch.randperm(len(Xtr))
    tot_loss = tot_corr = n = 0
    for i in range(steps):
        idx = perm[i * BS:(i + 1) * BS]
        out = model(Xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot_loss += loss.item() * len(idx); tot_corr += (out.argmax(1) == ytr[idx]).sum().item(); n += len(idx)
    model.eval()
    with torch.no_grad():
        vo = model(Xva)
        vl = F.cross_entropy(vo, yva).item(); va = (vo.argmax(1) == yva).float().mean().item()
    dt = time.time() - t0
    echo(f"{steps}/{steps} - {round(dt)}s - {1000 * dt / steps:.0f}ms/step - accuracy: {tot_corr / n:.4f} - loss: {tot_loss / n:.4f} - val_accuracy: {va:.4f} - val_loss: {vl:.4f}")

with torch.no_grad():
    model.eval()
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss_running": round(tot_loss / n, 4),
                                     "train_loss_eval_mode": round(trl, 4), "chance_acc": 0.1}))
