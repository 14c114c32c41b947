# expect: poor_initialization
# allow: high_bias, non_convergence, vanishing_gradients, learning_rate_too_low
# forbid: *
# evidence: all weights zeros(): 64 hidden units stay identical (1 distinct), val acc 0.33 (majority 0.36), train acc 0.34; control random init: 64 distinct, val acc 0.988
# control: --control
# A from-scratch softmax-regression notebook "upgraded" with a hidden layer: the zeros() initialisation
# that is fine for logistic regression was kept for every weight matrix. Sigmoid hidden layer, manual SGD,
# DataLoader batches. 3 classes of points on concentric rings (needs the hidden layer).
import json
import math
import sys

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv


def rings(n):
    y = torch.randint(0, 3, (n,))
    r = 1.0 + 1.2 * y.float() + 0.25 * torch.randn(n)
    t = 2 * math.pi * torch.rand(n)
    x = torch.stack([r * torch.cos(t), r * torch.sin(t)], 1)
    return (x / 2.0), y


x_train, y_train = rings(4000)
x_valid, y_valid = rings(1000)

H = 64
if CONTROL:
    W1 = (torch.randn(2, H) / math.sqrt(2)).requires_grad_()
    W2 = (torch.randn(H, 3) / math.sqrt(H)).requires_grad_()
else:
    W1 = torch.zeros(2, H, requires_grad=True)
    W2 = torch.zeros(H, 3, requires_grad=True)
b1 = torch.zeros(H, requires_grad=True)
b2 = torch.zeros(3, requires_grad=True)
params = [W1, b1, W2, b2]


def forward(x):
    return torch.sigmoid(x @ W1 + b1) @ W2 + b2


loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
lr = 0.5
for epoch in range(15):
    for xb, yb in loader:
        loss = F.cross_entropy(forward(xb), yb)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad.zero_()
    with torch.no_grad():
        out = forward(x_valid)
        vl, va = F.cross_entropy(out, y_valid).item(), (out.argmax(1) == y_valid).float().mean().item()
    print(f"epoch {epoch:2d}  loss {loss.item():.4f}  val loss {vl:.4f}  val acc {va:.4f}")

# symmetry probe: are the hidden units still copies of each other?
distinct = torch.unique(W1.detach().round(decimals=5), dim=1).shape[1]
print(f"distinct hidden-unit weight vectors: {distinct} of {H}")
with torch.no_grad():
    out = forward(x_train)
    tl, ta = F.cross_entropy(out, y_train).item(), (out.argmax(1) == y_train).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(ta, 4), "chance_acc": round(torch.bincount(y_valid).max().item() / 1000, 4),
                                     "distinct_hidden_units": distinct}))
