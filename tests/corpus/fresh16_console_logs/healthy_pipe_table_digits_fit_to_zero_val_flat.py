"""Digits MLP whose console prints a hand-made | table per epoch; train loss goes to ~0.

Train loss/err reach ~0 while val loss and val accuracy sit flat at their best: the model has
simply finished learning (digits are nearly separable); nothing gets worse.  A healthy
look-alike of overfitting.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.985 (chance 0.10); train loss 0.0009 and train err 0 at ep 25; val loss reaches 0.072 by ep 8 and stays 0.068-0.072 to ep 25 (never rises), val err 0.015
# native-log: console_table.txt
# log-expect:
# log-allow:
import os, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="table_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "console_table.txt"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = load_digits(return_X_y=True)
X = ((X - X.mean(0)) / (X.std(0) + 1.0)).astype(np.float32)
Xtr, Xva, ytr, yva = map(torch.tensor, train_test_split(X, y, test_size=0.3, random_state=4, stratify=y))
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
BS, EPOCHS = 32, 25
echo("| epoch | train_loss | train_err | val_loss | val_err |   lr    |")
echo("|------:|-----------:|----------:|---------:|--------:|--------:|")
for ep in range(1, EPOCHS + 1):
    model.train(); perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), BS):
        idx = perm[i:i + BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        to = model(Xtr); tl = F.cross_entropy(to, ytr).item(); te = (to.argmax(1) != ytr).float().mean().item()
        vo = model(Xva); vl = F.cross_entropy(vo, yva).item(); ve = (vo.argmax(1) != yva).float().mean().item()
    echo(f"| {ep:5d} | {tl:10.4f} | {te:9.4f} | {vl:8.4f} | {ve:7.4f} | {opt.param_groups[0]['lr']:.1e} |")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(1 - ve, 4), "train_loss": round(tl, 5), "chance_acc": 0.1}))
