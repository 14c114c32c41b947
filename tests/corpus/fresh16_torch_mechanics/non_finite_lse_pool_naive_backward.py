# expect: non_finite
# allow: exploding_gradients, non_convergence, high_bias, learning_rate_too_high
# forbid: *
# evidence: planted: first non-finite gradient at step 369 (max pooled feature > 88/20), then train_loss/val_loss NaN, val_acc 0.10; control (max-shifted backward): no non-finite gradient, val_acc 0.967, val_loss 0.145, max feature ~4.9
# control: --control
"""1D conv net over the 8 rows of each digits image with a custom log-sum-exp pooling Function
(sharpness beta=20). The forward is stable (subtracts the max), but the hand-written backward
recomputes the softmax weights as exp(beta*x) / sum(exp(beta*x)) without the max shift: once a
feature exceeds ~4.4, exp overflows to inf, inf/inf = NaN, and the NaN gradient poisons the
weights. --control: the backward subtracts the max (the only change)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
BETA = 20.0
class LSEPool(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):          # x: (B, C, T) -> (B, C)
        ctx.save_for_backward(x)
        m = x.max(dim=2, keepdim=True).values
        return (m + torch.log(torch.exp(BETA * (x - m)).sum(2, keepdim=True)) / BETA).squeeze(2)
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if CONTROL:
            e = torch.exp(BETA * (x - x.max(dim=2, keepdim=True).values))
        else:
            e = torch.exp(BETA * x)                      # BUG: no max shift
        w = e / e.sum(2, keepdim=True)
        return g.unsqueeze(2) * w
X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=9, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 8, 8); Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 8, 8)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.conv = nn.Conv1d(8, 64, 3, padding=1); self.fc = nn.Linear(64, 10)
    def forward(self, x): return self.fc(LSEPool.apply(F.relu(self.conv(x))))
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)
nan_step = None; step = 0
for ep in range(10):
    perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        if nan_step is None and not all(torch.isfinite(p.grad).all() for p in model.parameters()): nan_step = step
        opt.step(); step += 1; tot += loss.item() * len(idx)
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        mx = F.relu(model.conv(Xtr)).max().item()
    print(f"epoch {ep} train_loss {tot/len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.4f} max feature {mx:.2f}")
print("first non-finite gradient at step:", nan_step)
def r(v): return round(v, 4) if v == v and abs(v) != float("inf") else str(v)
print("CORPUS_METRIC " + json.dumps({"val_loss": r(vl), "val_acc": round(va, 4), "train_loss": r(tot / len(Xtr)), "chance_acc": 0.1, "first_nan_step": nan_step}))
