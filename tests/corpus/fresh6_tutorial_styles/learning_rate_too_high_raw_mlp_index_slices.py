# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: manual SGD lr=8 gives val acc 0.365, val loss 2.27, train loss 2.19 (majority 0.28); control lr=0.3 gives val acc 0.883, val loss 0.33
# control: --control
# Two-layer net from raw tensors, trained by hand with index slices and p -= lr * p.grad.
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(7)

CONTROL = "--control" in sys.argv
lr = 0.3 if CONTROL else 8.0
bs = 64
epochs = 20

D, H, C = 10, 128, 4
tW1 = torch.randn(D, 8) * 0.5
tW2 = torch.randn(8, C)
x_all = torch.randn(12000, D)
y_all = torch.argmax(torch.tanh(x_all @ tW1) @ tW2, dim=1)
x_train, y_train = x_all[:10000], y_all[:10000]
x_valid, y_valid = x_all[10000:], y_all[10000:]
n = x_train.shape[0]

w1 = torch.randn(D, H) * math.sqrt(2.0 / D)
w1.requires_grad_()
b1 = torch.zeros(H, requires_grad=True)
w2 = torch.randn(H, C) / math.sqrt(H)
w2.requires_grad_()
b2 = torch.zeros(C, requires_grad=True)
params = [w1, b1, w2, b2]


def model(xb):
    return F.relu(xb @ w1 + b1) @ w2 + b2


def accuracy(out, yb):
    return (torch.argmax(out, dim=1) == yb).float().mean().item()


for epoch in range(epochs):
    perm = torch.randperm(n)
    x_train, y_train = x_train[perm], y_train[perm]
    running = 0.0
    for i in range((n - 1) // bs + 1):
        xb = x_train[i * bs:(i + 1) * bs]
        yb = y_train[i * bs:(i + 1) * bs]
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
        running += loss.item()
    with torch.no_grad():
        vout = model(x_valid)
        print("epoch %d: train loss %.4f, valid loss %.4f, valid acc %.4f" % (
            epoch, running / ((n - 1) // bs + 1), F.cross_entropy(vout, y_valid).item(), accuracy(vout, y_valid)))

with torch.no_grad():
    vout = model(x_valid)
    tout = model(x_train)
    m = {"val_loss": round(F.cross_entropy(vout, y_valid).item(), 4), "val_acc": round(accuracy(vout, y_valid), 4),
         "train_loss": round(F.cross_entropy(tout, y_train).item(), 4), "train_acc": round(accuracy(tout, y_train), 4),
         "chance_acc": round(torch.bincount(y_valid).max().item() / len(y_valid), 4)}
print("CORPUS_METRIC " + json.dumps(m))
