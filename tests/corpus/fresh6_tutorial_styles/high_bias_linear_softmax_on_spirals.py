# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: linear softmax on 3-arm spiral: train acc 0.52, val acc 0.55, train loss 0.73 (chance 0.33); control with a hidden ReLU layer: train 0.98, val 0.97
# control: --control
# cs231n "linear classifier on the spiral" from scratch: W, b as tensors, softmax + cross-entropy written
# by hand, full-batch gradient descent with a little L2. A linear model cannot separate the arms.
# The control adds the hidden ReLU layer of the notebook's second part; nothing else changes.
import json
import math
import sys

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)
CONTROL = "--control" in sys.argv

N, D, K = 600, 2, 3
X = np.zeros((N * K, D), dtype="float32")
y = np.zeros(N * K, dtype="int64")
for j in range(K):
    ix = range(N * j, N * (j + 1))
    r = np.linspace(0.0, 1, N)
    t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * 0.1
    X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    y[ix] = j
perm = np.random.permutation(N * K)
X, y = torch.from_numpy(X[perm]), torch.from_numpy(y[perm])
Xtr, ytr, Xva, yva = X[:1400], y[:1400], X[1400:], y[1400:]

h = 100
if CONTROL:
    W = (0.01 * torch.randn(D, h)).requires_grad_(); b = torch.zeros(h, requires_grad=True)
    W2 = (0.01 * torch.randn(h, K)).requires_grad_(); b2 = torch.zeros(K, requires_grad=True)
    params = [W, b, W2, b2]
else:
    W = (0.01 * torch.randn(D, K)).requires_grad_(); b = torch.zeros(K, requires_grad=True)
    params = [W, b]


def scores(x):
    if CONTROL:
        return torch.relu(x @ W + b) @ W2 + b2
    return x @ W + b


def loss_fn(x, t, reg=1e-3):
    s = scores(x)
    s = s - s.max(1, keepdim=True).values
    logp = s - torch.log(torch.exp(s).sum(1, keepdim=True))
    data_loss = -logp[torch.arange(len(t)), t].mean()
    reg_loss = 0.5 * reg * sum((p * p).sum() for p in params[0::2])
    return data_loss + reg_loss, data_loss


step_size = 1.0
for i in range(3000):
    loss, data_loss = loss_fn(Xtr, ytr)
    if i % 300 == 0:
        print("iteration %d: loss %f" % (i, loss.item()))
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= step_size * p.grad
            p.grad.zero_()

with torch.no_grad():
    _, tl = loss_fn(Xtr, ytr)
    _, vl = loss_fn(Xva, yva)
    ta = (scores(Xtr).argmax(1) == ytr).float().mean().item()
    va = (scores(Xva).argmax(1) == yva).float().mean().item()
print("training accuracy: %.2f  validation accuracy: %.2f" % (ta, va))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl.item(), 4), "val_acc": round(va, 4), "train_loss": round(tl.item(), 4),
                                     "train_acc": round(ta, 4), "chance_acc": 0.3333}))
