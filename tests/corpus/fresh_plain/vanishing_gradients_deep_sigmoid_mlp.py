# expect: vanishing_gradients
# allow: saturated_activations, non_convergence, high_bias
# forbid: *
# evidence: planted (sigmoid): val_acc 0.236, val_loss 1.389 (chance 0.262), first-layer grad norm ~1e-9 vs last hidden ~3e-2 (ratio 2e-8); control (ReLU+He): val_acc 0.897, val_loss 0.296, grad ratio 2.0
# control: --control
"""An 'old-school' deep MLP: 10 hidden layers of 64 sigmoid units trained with plain SGD.
The gradient shrinks by ~4x per sigmoid layer on the way back, so the early layers get almost
nothing and the net sits near chance.  --control replaces Sigmoid by ReLU with He (kaiming)
init - the textbook pairing - and changes nothing else (same depth, widths, optimiser, lr)."""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv


def make_data(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 10, generator=g)
    r = x[:, :3].norm(dim=1)
    y = ((r > 1.55).long() + (x[:, 3] > 0).long() * 2)  # 4 classes: shell x half-space
    return x, y


x_tr, y_tr = make_data(3000, 1)
x_va, y_va = make_data(1000, 2)

DEPTH, WIDTH = 10, 64
layers, d = [], 10
for _ in range(DEPTH):
    lin = nn.Linear(d, WIDTH)
    if CONTROL:
        nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        nn.init.zeros_(lin.bias)
    layers += [lin, nn.ReLU() if CONTROL else nn.Sigmoid()]
    d = WIDTH
layers.append(nn.Linear(d, 4))
model = nn.Sequential(*layers)
linears = [m for m in model if isinstance(m, nn.Linear)]

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
first_grad, last_grad = [], []
for epoch in range(20):
    model.train()
    perm = torch.randperm(len(x_tr))
    tot = 0.0
    for i in range(0, len(x_tr), 50):
        idx = perm[i:i + 50]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x_tr[idx]), y_tr[idx])
        loss.backward()
        first_grad.append(linears[0].weight.grad.norm().item())
        last_grad.append(linears[-2].weight.grad.norm().item())
        optimizer.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(x_va)
        val_loss = F.cross_entropy(out, y_va).item()
        val_acc = (out.argmax(1) == y_va).float().mean().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(x_tr):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f} "
          f"|g first layer| {sum(first_grad[-60:]) / 60:.2e} |g last hidden| {sum(last_grad[-60:]) / 60:.2e}")

ratio = (sum(first_grad) / len(first_grad)) / (sum(last_grad) / len(last_grad))
majority = torch.bincount(y_va).max().item() / len(y_va)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                     "train_loss": round(tot / len(x_tr), 4), "chance_acc": round(majority, 4),
                                     "grad_ratio_first_over_last_hidden": float(f"{ratio:.3g}")}))
