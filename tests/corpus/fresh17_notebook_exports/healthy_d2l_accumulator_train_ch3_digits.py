#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: D2L-style MLP 64-256-10, SGD lr=0.3, 15 epochs on sklearn digits: test acc 0.943, val_loss 0.195, train acc 0.965 (chance 0.10)
# native-log: d2l_output.txt
# log-expect:
# log-allow:

# # Multilayer Perceptrons (concise implementation)
# Exported from a Dive-into-Deep-Learning style notebook with `jupyter nbconvert --to script`.

# In[1]:


# get_ipython().run_line_magic('matplotlib', 'inline')
import os, sys, json, random, tempfile
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


class Tee:
    """the notebook output cell, also saved to a text file"""
    def __init__(self, path):
        self.f = open(path, "w"); self.out = sys.stdout
    def write(self, s):
        self.out.write(s); self.f.write(s)
    def flush(self):
        self.out.flush(); self.f.flush()


_tee = Tee(os.path.join(LOG_DIR, "d2l_output.txt"))
sys.stdout = _tee


# In[2]:


X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
batch_size = 64
train_iter = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)), batch_size=batch_size, shuffle=True)
test_iter = torch.utils.data.DataLoader(
    torch.utils.data.TensorDataset(torch.tensor(Xte), torch.tensor(yte)), batch_size=256)


# In[3]:


class Accumulator:
    """For accumulating sums over `n` variables."""
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):
    """Compute the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    """Compute the accuracy for a model on a dataset."""
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def evaluate_loss(net, data_iter, loss):
    metric = Accumulator(2)
    net.eval()
    with torch.no_grad():
        for X, y in data_iter:
            l = loss(net(X), y)
            metric.add(l.sum(), l.numel())
    return metric[0] / metric[1]


# In[4]:


def train_epoch_ch3(net, train_iter, loss, updater):
    """The training loop defined in Chapter 3."""
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        updater.zero_grad()
        l.mean().backward()
        updater.step()
        metric.add(float(l.sum().detach()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        train_loss, train_acc = train_metrics
        print(f'epoch {epoch + 1}, loss {train_loss:.3f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}')
    return train_loss, train_acc, test_acc


# In[5]:


net = nn.Sequential(nn.Flatten(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))

def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)

net.apply(init_weights);


# In[6]:


batch_size, lr, num_epochs = 64, 0.3, 15
loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=lr)
train_loss, train_acc, test_acc = train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)
print(f'loss {train_loss:.3f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}')


# In[7]:


sys.stdout = _tee.out
_tee.f.close()
val_loss = evaluate_loss(net, test_iter, loss)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.1}))
