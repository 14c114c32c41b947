#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: heavy regularisation (input dropout 0.2, dropout 0.5 x2, noise + masking augmentation): train loss 0.67 and train acc 0.77 (on augmented batches) stay above val_loss 0.17 / below val_acc 0.964 (chance 0.10); 18 epochs + 6 more in a second cell with lr 5e-4 (lr column in train_log.csv)
# native-log: train_log.csv
# log-expect:
# log-allow:

# In[1]:

import os, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

random.seed(7); np.random.seed(7); torch.manual_seed(7)
torch.set_num_threads(1)
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOGDIR, exist_ok=True)

# In[2]:

X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=7, stratify=y)
Xtr, ytr = torch.tensor(X_train), torch.tensor(y_train)
Xva, yva = torch.tensor(X_valid), torch.tensor(y_valid)
print(X_train.shape, X_valid.shape)

# In[3]:

# heavy regularisation: input noise + cutout-like masking augmentation, dropout 0.5 everywhere
model = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.5),
                      nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
crit = nn.CrossEntropyLoss()
log_rows = []

def augment(xb):
    xb = xb + 0.15 * torch.randn_like(xb)
    mask = (torch.rand_like(xb) > 0.15).float()
    return xb * mask

def run_epochs(n, tag):
    for ep in (pbar := tqdm(range(n), desc=tag)):
        model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; corr = 0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            out = model(augment(Xtr[b])); loss = crit(out, ytr[b])
            optimizer.zero_grad(); loss.backward(); optimizer.step()
            tl += loss.item() * len(b); corr += (out.argmax(1) == ytr[b]).sum().item()
        model.eval()
        with torch.no_grad():
            o = model(Xva); vl = crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
        row = {"epoch": len(log_rows), "loss": tl / len(Xtr), "accuracy": corr / len(Xtr), "val_loss": vl, "val_accuracy": va,
               "lr": optimizer.param_groups[0]["lr"]}
        log_rows.append(row)
        pbar.set_postfix(loss=f"{row['loss']:.3f}", val_loss=f"{vl:.3f}", val_acc=f"{va:.3f}")

run_epochs(18, "train")

# In[4]:

# train some more with a lower lr
for g in optimizer.param_groups:
    g["lr"] = 5e-4
run_epochs(6, "train more")

# In[5]:

print(f"{'epoch':>5} {'loss':>8} {'accuracy':>9} {'val_loss':>9} {'val_accuracy':>13}")
for r in log_rows[-5:]:
    print(f"{r['epoch']:>5} {r['loss']:>8.4f} {r['accuracy']:>9.4f} {r['val_loss']:>9.4f} {r['val_accuracy']:>13.4f}")
keys = list(log_rows[0].keys())
with open(os.path.join(LOGDIR, "train_log.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow([""] + keys)
    for i, r in enumerate(log_rows):
        w.writerow([i] + [r[k] for k in keys])
last = log_rows[-1]
print("CORPUS_METRIC " + json.dumps({"val_acc": round(last["val_accuracy"], 4), "val_loss": round(last["val_loss"], 4), "train_loss": round(last["loss"], 4), "train_acc_augmented": round(last["accuracy"], 4), "chance_acc": 0.1}))
