#!/usr/bin/env python
# coding: utf-8
# expect:
# allow:
# forbid: *
# evidence: 3 epochs then a 'train more' cell continuing the same model (lr 0.05 -> 0.02): second run starts at batch loss ~0.13, test acc 93.5% -> 97.0%, final Avg loss 0.112 (chance 10%)
# native-log: colab_output.txt
# log-expect:
# log-allow:

# In[ ]:


# For tips on running notebooks in Google Colab, see
# https://pytorch.org/tutorials/beginner/colab
# get_ipython().run_line_magic('matplotlib', 'inline')


# [Learn the Basics](intro.html) ||
# **Optimization**
#
# Optimizing Model Parameters
# ===========================
# (adapted to sklearn's 8x8 digits; Colab copy: after the first 3 epochs a later cell trains 4 more epochs on the SAME model,
# so the second run's loss starts low)

# In[1]:


import os, sys, json, random, tempfile
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_digits

torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
CONTROL = '--control' in sys.argv
batch_size_ = 32

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "colab_output.txt"), "w")
_stdout = sys.stdout
class _Tee:
    def write(self, s): _stdout.write(s); _log.write(s)
    def flush(self): _stdout.flush(); _log.flush()
sys.stdout = _Tee()

digits = load_digits()
images = torch.tensor(digits.images / 16.0, dtype=torch.float32).unsqueeze(1)
labels = torch.tensor(digits.target)
perm = torch.randperm(len(labels))
images, labels = images[perm], labels[perm]
training_data = TensorDataset(images[:1400], labels[:1400])
test_data = TensorDataset(images[1400:], labels[1400:])

train_dataloader = DataLoader(training_data, batch_size=batch_size_)
test_dataloader = DataLoader(test_data, batch_size=batch_size_)

class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(8*8, 128),
            nn.ReLU(),
            nn.Linear(128, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits

model = NeuralNetwork()


# Hyperparameters
# -----------------

# In[2]:


learning_rate = 5e-2
batch_size = batch_size_
epochs = 3


# In[3]:


loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)


# Full Implementation
# -----------------------

# In[4]:


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    # Set the model to training mode - important for batch normalization and dropout layers
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        # Compute prediction and loss
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        if batch % 10 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0

    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()

    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")
    return test_loss, correct


# In[5]:


for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loss, correct = test_loop(test_dataloader, model, loss_fn)
print("Done!")


# In[6]:


# test acc still going up -- train a bit more (same model, same optimizer, smaller lr)
for g in optimizer.param_groups:
    g["lr"] = 2e-2
epochs = 4
for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loss, correct = test_loop(test_dataloader, model, loss_fn)
print("Done!")


# In[7]:


sys.stdout = _stdout; _log.close()
model.eval()
with torch.no_grad():
    Xtr, ytr = training_data.tensors
    out = model(Xtr)
    train_loss = nn.functional.cross_entropy(out, ytr).item()
    train_acc = (out.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(correct, 4),
                                     "train_loss": round(train_loss, 4), "train_acc": round(train_acc, 4),
                                     "chance_acc": 0.1}))
