"""Digits MLP in the style of a Keras tutorial (Dense(128) -> Dense(10), Adam 3e-3, batch 32) with
keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=2, min_lr=1e-6), logged in
the Keras TensorBoard-callback layout (logs/train, logs/validation; epoch_loss, epoch_accuracy,
epoch_learning_rate). Once converged, the lr is cut again and again and updates become tiny:
a converged model with a tiny lr, not a too-low learning rate.
"""
# expect:
# allow:
# forbid: *
# evidence: healthy run: val_accuracy 0.982 (chance 0.10), val_loss 0.054 at epoch 18 and flat at 0.052 afterwards while ReduceLROnPlateau cuts the lr 3e-3 -> 6e-4 -> 1.2e-4 -> 2.4e-5; train loss 0.0063
# native-log: logs
# log-expect:
# log-allow:
import os, sys, json, time, random, tempfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from torch.utils.tensorboard import SummaryWriter
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
w_train = SummaryWriter(os.path.join(LOG_DIR, "logs", "train")); w_val = SummaryWriter(os.path.join(LOG_DIR, "logs", "validation"))

X, y = load_digits(return_X_y=True)
X = (X / 16.0 - 0.5) / 0.5
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=12, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.2, patience=2, min_lr=1e-6)
EPOCHS = 30
for epoch in range(EPOCHS):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0; corr = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; out = model(Xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx); corr += (out.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    lr_now = opt.param_groups[0]["lr"]
    for k, v in {"epoch_loss": tot / len(Xtr), "epoch_accuracy": corr / len(Xtr), "epoch_learning_rate": lr_now}.items():
        w_train.add_scalar(k, v, epoch)
    for k, v in {"epoch_loss": vl, "epoch_accuracy": va}.items():
        w_val.add_scalar(k, v, epoch)
    plateau.step(vl)
    if epoch % 3 == 0 or epoch == EPOCHS - 1:
        print(f"epoch {epoch} loss {tot/len(Xtr):.4f} accuracy {corr/len(Xtr):.4f} val_loss {vl:.4f} val_accuracy {va:.4f} learning_rate {lr_now:.2e}")
w_train.close(); w_val.close()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "final_lr": lr_now, "chance_acc": 0.1}))
