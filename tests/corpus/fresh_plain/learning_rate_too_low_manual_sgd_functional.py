# expect: learning_rate_too_low
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted (lr=1e-4): val_acc 0.502, val_loss 0.692 after 25 epochs (majority 0.506, loss barely moves 0.697->0.695); control (lr=0.1): val_acc 0.908, val_loss 0.234
# control: --control
"""Functional-style MLP (raw weight tensors, a forward() function, no nn.Module, no torch.optim),
updated by hand with `p -= lr * p.grad`.  The lr=1e-4 was copied from an Adam config; with plain
SGD it barely moves the weights in the epochs budgeted.  --control uses lr=0.1.
Task: churn-style binary classification on 16 standardised tabular features."""
import json
import sys

import torch

torch.set_num_threads(1)
torch.manual_seed(0)

LR = 0.1 if "--control" in sys.argv else 1e-4
EPOCHS = 25
BATCH = 64


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 16, generator=g)
    score = 1.5 * x[:, 0] - x[:, 1] + 0.8 * x[:, 2] * x[:, 3] + torch.sin(2 * x[:, 4]) - 0.6 * x[:, 5] ** 2 + 0.6
    y = (score + 0.3 * torch.randn(n, generator=g) > 0).float()
    return x, y


x_tr, y_tr = make_data(4000, 1)
x_va, y_va = make_data(1000, 2)


def init_linear(fan_in, fan_out):
    bound = 1.0 / fan_in ** 0.5
    w = (torch.rand(fan_in, fan_out) * 2 - 1) * bound
    b = (torch.rand(fan_out) * 2 - 1) * bound
    return w.requires_grad_(), b.requires_grad_()


params = [*init_linear(16, 64), *init_linear(64, 64), *init_linear(64, 1)]


def forward(params, x):
    w1, b1, w2, b2, w3, b3 = params
    h = torch.relu(x @ w1 + b1)
    h = torch.relu(h @ w2 + b2)
    return (h @ w3 + b3).squeeze(-1)


def bce(logits, y):
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, y)


for epoch in range(EPOCHS):
    perm = torch.randperm(len(x_tr))
    total = 0.0
    for i in range(0, len(x_tr), BATCH):
        idx = perm[i:i + BATCH]
        loss = bce(forward(params, x_tr[idx]), y_tr[idx])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
                p.grad.zero_()
        total += loss.item() * len(idx)
    with torch.no_grad():
        logits = forward(params, x_va)
        val_loss = bce(logits, y_va).item()
        val_acc = ((logits > 0).float() == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {total / len(x_tr):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")

majority = max(y_va.mean().item(), 1 - y_va.mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(total / len(x_tr), 4),
                                     "chance_acc": round(majority, 4), "lr": LR}))
