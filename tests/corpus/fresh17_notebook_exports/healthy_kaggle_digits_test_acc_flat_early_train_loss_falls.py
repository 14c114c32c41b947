#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: Adam MLP on digits, 40 epochs: val acc 0.973 by epoch 10 and flat 0.973-0.982 after, val_loss min 0.088 (ep15) and 0.093 at the end, train loss falls to 0.010 (chance 0.10)
# native-log: history.csv
# log-expect:
# log-allow:

# # Digit Recognizer -- simple MLP baseline (top 40%)
# Kaggle kernel, exported with nbconvert. Data: sklearn's bundled 8x8 digits instead of the competition csv.

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 42
def seed_everything(seed):
    random.seed(seed); np.random.seed(seed); torch.manual_seed(seed)
seed_everything(SEED)
torch.set_num_threads(1)
OUTPUT_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()   # /kaggle/working
os.makedirs(OUTPUT_DIR, exist_ok=True)


# In[2]:


d = load_digits()
print(d.data.shape)
print(np.bincount(d.target))


# In[3]:


def to_csv(hist, path):
    """same layout as pandas' DataFrame(hist).to_csv(path): unnamed index column first
    (pandas is not installed in this kernel image)"""
    keys = list(hist)
    with open(path, "w") as f:
        f.write("," + ",".join(keys) + "\n")
        for i in range(len(hist[keys[0]])):
            f.write(str(i) + "," + ",".join(repr(float(hist[k][i])) for k in keys) + "\n")


# In[4]:


X = d.data.astype(np.float32) / 16.0
y = d.target
X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=SEED, stratify=y)
X_train, X_valid = torch.tensor(X_train), torch.tensor(X_valid)
y_train, y_valid = torch.tensor(y_train), torch.tensor(y_valid)
print(X_train.shape, X_valid.shape)


# In[5]:


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)

model = Net()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
EPOCHS, BS = 40, 32


# In[6]:


history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
for epoch in range(EPOCHS):
    model.train()
    perm = torch.randperm(len(X_train))
    tot, correct, n = 0.0, 0, 0
    for i in range(0, len(perm), BS):
        idx = perm[i:i + BS]
        out = model(X_train[idx])
        loss = criterion(out, y_train[idx])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        tot += loss.item() * len(idx); correct += (out.argmax(1) == y_train[idx]).sum().item(); n += len(idx)
    model.eval()
    with torch.no_grad():
        vout = model(X_valid)
        vloss = criterion(vout, y_valid).item()
        vacc = (vout.argmax(1) == y_valid).float().mean().item()
    history["loss"].append(tot / n); history["accuracy"].append(correct / n)
    history["val_loss"].append(vloss); history["val_accuracy"].append(vacc)
    print(f"Epoch {epoch+1}/{EPOCHS} - loss: {tot/n:.4f} - accuracy: {correct/n:.4f} - val_loss: {vloss:.4f} - val_accuracy: {vacc:.4f}")


# In[7]:


to_csv(history, os.path.join(OUTPUT_DIR, "history.csv"))   # index column included


# In[8]:


best = int(np.argmax(history["val_accuracy"]))
print("best val_accuracy %.4f at epoch %d" % (history["val_accuracy"][best], best + 1))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(history["val_loss"][-1], 4), "val_acc": round(history["val_accuracy"][-1], 4),
                                     "train_loss": round(history["loss"][-1], 4), "train_acc": round(history["accuracy"][-1], 4),
                                     "best_val_acc": round(max(history["val_accuracy"]), 4), "chance_acc": 0.1}))
