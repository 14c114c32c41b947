# expect:
# allow:
# forbid: *
# evidence: softmax regression from raw tensors, manual SGD, 10 gaussian classes in 30-d; valid acc 0.943 vs train acc 0.957 (chance 0.10); the model class is Bayes-optimal for equal-covariance blobs
# "What is torch.nn really?" part 1, neural net from scratch, on synthetic blobs instead of MNIST.
import json
import math
import sys

import torch

torch.set_num_threads(1)
torch.manual_seed(0)

n_classes, n_feat = 10, 30
centers = torch.randn(n_classes, n_feat) * 0.7


def make(n):
    y = torch.randint(0, n_classes, (n,))
    x = centers[y] + torch.randn(n, n_feat)
    return x, y


x_train, y_train = make(5000)
x_valid, y_valid = make(1000)
n, c = x_train.shape
print(x_train.shape, y_train.min(), y_train.max())

weights = torch.randn(n_feat, n_classes) / math.sqrt(n_feat)
weights.requires_grad_()
bias = torch.zeros(n_classes, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


loss_func = nll


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


bs = 64
lr = 0.5
epochs = 10

for epoch in range(epochs):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        end_i = start_i + bs
        xb = x_train[start_i:end_i]
        yb = y_train[start_i:end_i]
        pred = model(xb)
        loss = loss_func(pred, yb)

        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()
    with torch.no_grad():
        vp = model(x_valid)
        print(epoch, loss_func(vp, y_valid).item(), accuracy(vp, y_valid).item())

with torch.no_grad():
    tr = model(x_train)
    vp = model(x_valid)
    m = {"val_loss": round(loss_func(vp, y_valid).item(), 4), "val_acc": round(accuracy(vp, y_valid).item(), 4),
         "train_loss": round(loss_func(tr, y_train).item(), 4), "train_acc": round(accuracy(tr, y_train).item(), 4),
         "chance_acc": 0.1}
print("CORPUS_METRIC " + json.dumps(m))
