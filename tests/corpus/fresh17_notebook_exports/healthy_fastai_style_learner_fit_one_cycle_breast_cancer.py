#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: hand-written Learner.fit_one_cycle, 12 epochs: valid acc 0.965, valid loss 0.066, train acc 0.993 (majority 0.63)
# native-log: learner_log.csv
# log-expect:
# log-allow:

# # Lesson 2 homework: a Learner from scratch (no fastai install) on breast cancer
# Exported with nbconvert. Hand-written DataLoaders / Learner / fit_one_cycle, with a CSVLogger-like file.

# In[1]:


import os, sys, json, random, tempfile, math, time
import numpy as np
import torch
from torch import nn, tensor
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

random.seed(42); np.random.seed(42); torch.manual_seed(42)
torch.set_num_threads(1)
path = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(path, exist_ok=True)


# In[2]:


x, y = load_breast_cancer(return_X_y=True)
x_train, x_valid, y_train, y_valid = train_test_split(x, y, test_size=0.25, random_state=42, stratify=y)
m, s = x_train.mean(0), x_train.std(0)
x_train, x_valid = map(lambda a: tensor((a - m) / s, dtype=torch.float32), (x_train, x_valid))
y_train, y_valid = map(tensor, (y_train, y_valid))


# In[3]:


class DataLoader:
    def __init__(self, x, y, bs, shuffle=False): self.x, self.y, self.bs, self.shuffle = x, y, bs, shuffle
    def __len__(self): return math.ceil(len(self.x) / self.bs)
    def __iter__(self):
        idx = torch.randperm(len(self.x)) if self.shuffle else torch.arange(len(self.x))
        for i in range(0, len(idx), self.bs):
            b = idx[i:i + self.bs]
            yield self.x[b], self.y[b]

class DataLoaders:
    def __init__(self, train, valid): self.train, self.valid = train, valid

dls = DataLoaders(DataLoader(x_train, y_train, 32, shuffle=True), DataLoader(x_valid, y_valid, 128))


# In[4]:


def accuracy(out, yb): return (out.argmax(dim=1) == yb).float().mean()

class Learner:
    def __init__(self, dls, model, loss_func=F.cross_entropy, lr=1e-3, opt_func=torch.optim.AdamW, metrics=(accuracy,), fname="learner_log.csv"):
        self.dls, self.model, self.loss_func, self.lr, self.opt_func, self.metrics = dls, model, loss_func, lr, opt_func, metrics
        self.logfile = open(os.path.join(path, fname), "w")
        self.logfile.write("epoch,train_loss,valid_loss,accuracy,lr,time\n")

    def one_batch(self, xb, yb):
        self.preds = self.model(xb); self.loss = self.loss_func(self.preds, yb)
        if self.training:
            self.loss.backward(); self.opt.step(); self.opt.zero_grad(); self.sched.step()

    def one_epoch(self, train):
        self.training = train
        self.model.train(train)
        dl = self.dls.train if train else self.dls.valid
        tot, n, accs = 0.0, 0, 0.0
        with torch.set_grad_enabled(train):
            for xb, yb in dl:
                self.one_batch(xb, yb)
                tot += self.loss.item() * len(yb); n += len(yb); accs += accuracy(self.preds, yb).item() * len(yb)
        return tot / n, accs / n

    def fit_one_cycle(self, n_epoch, lr_max=None):
        lr_max = lr_max or self.lr
        self.opt = self.opt_func(self.model.parameters(), lr=lr_max, weight_decay=1e-2)
        self.sched = torch.optim.lr_scheduler.OneCycleLR(self.opt, max_lr=lr_max, total_steps=n_epoch * len(self.dls.train))
        print("epoch     train_loss  valid_loss  accuracy  time")
        for epoch in range(n_epoch):
            t0 = time.time()
            lr_now = self.sched.get_last_lr()[0]
            self.train_loss, _ = self.one_epoch(True)
            self.valid_loss, self.valid_acc = self.one_epoch(False)
            dt = time.time() - t0
            print(f"{epoch:<9d} {self.train_loss:<11.6f} {self.valid_loss:<11.6f} {self.valid_acc:<9.6f} 00:{dt:02.0f}")
            self.logfile.write(f"{epoch},{self.train_loss:.6f},{self.valid_loss:.6f},{self.valid_acc:.6f},{lr_now:.6g},00:{dt:02.0f}\n")
        self.logfile.flush()


# In[5]:


def simple_net(): return nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.BatchNorm1d(64), nn.Linear(64, 2))
learn = Learner(dls, simple_net(), lr=1e-2)
learn.fit_one_cycle(12, lr_max=1e-2)


# In[6]:


learn.model.eval()
with torch.no_grad():
    tr_out = learn.model(x_train)
    train_loss = F.cross_entropy(tr_out, y_train).item(); train_acc = accuracy(tr_out, y_train).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(learn.valid_loss, 4), "val_acc": round(learn.valid_acc, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": round(float(max(y_valid.float().mean(), 1 - y_valid.float().mean())), 4)}))
