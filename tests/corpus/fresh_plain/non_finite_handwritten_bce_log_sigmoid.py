# expect: non_finite
# allow: high_bias, non_convergence
# forbid: *
# evidence: planted: loss turns NaN at step 889 (epoch 9) once |logit| > ~17, weights become NaN, final val_acc 0.589 (= majority rate 0.589), val_loss nan; control (BCE-with-logits, same data/model/optimizer): no NaN, val_acc 0.996, val_loss 0.011
# control: --control
"""Spam-filter style binary classifier whose loss is written out by hand:
    p = torch.sigmoid(logits); loss = -(y*log(p) + (1-y)*log(1-p)).mean()
Once the model is confident on an easy example, sigmoid() rounds to exactly 1.0 in float32,
log(1-p) = -inf, and 0 * -inf = NaN poisons the loss, the gradients and then every weight.
--control computes the very same loss with F.binary_cross_entropy_with_logits (log-sum-exp
stable); nothing else changes."""
import json
import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
STABLE = "--control" in sys.argv


def emails(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = (torch.rand(n, generator=g) < 0.4).float()
    # 30 bag-of-words style count features; spam uses some words far more often
    rate = torch.full((n, 30), 1.0)
    rate[:, :8] += 2.5 * y[:, None]
    rate[:, 8:14] += 1.5 * (1 - y[:, None])
    x = torch.poisson(rate, generator=g)
    return torch.log1p(x), y


x_tr, y_tr = emails(3000, 1)
x_va, y_va = emails(1000, 2)

model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)


def loss_fn(logits, y):
    if STABLE:
        return F.binary_cross_entropy_with_logits(logits, y)
    p = torch.sigmoid(logits)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


first_nan_step, step = None, 0
for epoch in range(25):
    model.train()
    perm = torch.randperm(len(x_tr))
    tot = 0.0
    for i in range(0, len(x_tr), 32):
        idx = perm[i:i + 32]
        optimizer.zero_grad()
        loss = loss_fn(model(x_tr[idx]).squeeze(1), y_tr[idx])
        if first_nan_step is None and not math.isfinite(loss.item()):
            first_nan_step = step
        loss.backward()
        optimizer.step()
        tot += loss.item() * len(idx)
        step += 1
    model.eval()
    with torch.no_grad():
        logits = model(x_va).squeeze(1)
        val_loss = F.binary_cross_entropy_with_logits(logits, y_va).item()
        val_acc = ((logits > 0).float() == y_va).float().mean().item()
        max_logit = logits.abs().max().item()
    print(f"epoch {epoch:2d} train_loss {tot / len(x_tr):.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f} "
          f"max|logit| {max_logit:.1f}")

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4) if math.isfinite(val_loss) else "nan",
                                     "val_acc": round(val_acc, 4), "chance_acc": round(max(y_va.mean().item(), 1 - y_va.mean().item()), 4),
                                     "first_nan_step": first_nan_step}))
