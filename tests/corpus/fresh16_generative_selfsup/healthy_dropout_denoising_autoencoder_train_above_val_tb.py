"""Denoising autoencoder on the sklearn digits (64 pixel features in [0,1]) with heavy
regularisation: 50% masking noise on the input and dropout 0.3 in the hidden layers. The
training loss is measured on corrupted inputs with dropout active, so it stays ABOVE the
clean validation loss for the whole run -- expected, not a bug. Reports val reconstruction
R^2 and a linear probe on the 12-d code. Logs to TensorBoard.
"""
# expect:
# allow:
# forbid: *
# evidence: train (noisy input + dropout) stays above clean val loss every epoch (epoch 40: 0.0402 vs 0.0252); val recon R2 0.659, linear probe on the 12-d code val acc 0.922 (chance 0.10)
# native-log: runs
# log-expect:
# log-allow:
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.tensorboard import SummaryWriter

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

d = load_digits()
Xtr, Xva, ytr, yva = train_test_split(d.data / 16.0, d.target, test_size=0.3, random_state=0, stratify=d.target)
Xtr = torch.tensor(Xtr, dtype=torch.float32)
Xva = torch.tensor(Xva, dtype=torch.float32)
enc = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 12))
dec = nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 64))
params = list(enc.parameters()) + list(dec.parameters())
opt = torch.optim.Adam(params, lr=2e-3)
tb = SummaryWriter(os.path.join(LOG_DIR, "runs"))
EPOCHS, BS = 40, 64
for ep in range(1, EPOCHS + 1):
    enc.train(); dec.train(); perm = torch.randperm(len(Xtr)); tot = 0; n = 0
    for i in range(0, len(Xtr), BS):
        xb = Xtr[perm[i:i + BS]]
        keep = (torch.rand_like(xb) > 0.5).float()
        loss = F.mse_loss(dec(enc(xb * keep)), xb)
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    enc.eval(); dec.eval()
    with torch.no_grad():
        v = F.mse_loss(dec(enc(Xva)), Xva).item()
    tb.add_scalar("loss/train", tot / n, ep); tb.add_scalar("loss/val", v, ep)
    if ep % 10 == 0 or ep == 1:
        print(f"epoch {ep:2d} train loss (noisy, dropout) {tot / n:.4f}  val loss (clean) {v:.4f}")
tb.close()
with torch.no_grad():
    ztr, zva = enc(Xtr).numpy(), enc(Xva).numpy()
acc = LogisticRegression(max_iter=1000).fit(ztr, ytr).score(zva, yva)
var = Xva.var(0).mean().item()
print(f"val recon R2 {1 - v / var:.3f}; linear probe on 12-d code: val acc {acc:.4f} (chance 0.10)")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 4), "target_variance": round(var, 4), "train_loss": round(tot / n, 4),
                                     "probe_val_acc": round(acc, 4), "chance_acc": 0.1}))
