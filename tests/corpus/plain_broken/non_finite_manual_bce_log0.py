# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted: loss NaN at step 77 (log(1-p) with p == 1.0 in float32), weights NaN from then on, val_acc 0.49 (chance 0.51); control (p clamped to [1e-6, 1-1e-6]): no NaN, val_acc 0.978, val_loss 0.0625
# control: --control
# Hand-written binary cross-entropy: -(y*log(p) + (1-y)*log(1-p)) with p = sigmoid(logit).
# Once the model is confident, p rounds to exactly 1.0 in float32, log(1-p) = -inf and
# 0 * -inf = NaN; the NaN gradient then poisons every weight. Control: clamp p to [1e-6, 1-1e-6].
import json
import math
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(5)
CLAMP = "--control" in sys.argv


def my_bce(logits, target):
    p = torch.sigmoid(logits)
    if CLAMP:
        p = p.clamp(1e-6, 1 - 1e-6)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()


g = torch.Generator().manual_seed(3)
w_true = torch.randn(10, generator=g)


def data(n):
    x = torch.randn(n, 10, generator=g)
    s = x @ w_true + 0.5 * x[:, 0] * x[:, 1]
    return x, (s > 0).float()


xtr, ytr = data(4000)
xva, yva = data(1000)

model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
first_nan = None
for epoch in range(6):
    perm = torch.randperm(len(xtr))
    for k in range(0, len(xtr), 50):
        b = perm[k:k + 50]
        loss = my_bce(model(xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if first_nan is None and not torch.isfinite(loss):
            first_nan = epoch * (len(xtr) // 50) + k // 50
            print(f"!! loss became {loss.item()} at step {first_nan}")
    with torch.no_grad():
        lv = model(xva).squeeze(1)
        val_loss = nn.functional.binary_cross_entropy_with_logits(lv, yva).item()
        val_acc = ((lv > 0).float() == yva).float().mean().item()
    print(f"epoch {epoch}: last batch loss {loss.item():.4f}  val_loss {val_loss:.4f}  val_acc {val_acc:.3f}")

f = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": f(val_loss), "val_acc": round(val_acc, 4),
                                     "train_loss_last": f(loss.item()),
                                     "chance_acc": round(max(yva.mean().item(), 1 - yva.mean().item()), 4),
                                     "first_nan_step": first_nan}))
