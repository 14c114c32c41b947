# expect: learning_rate_too_high, non_finite
# allow: exploding_gradients, non_convergence, high_bias
# forbid: *
# evidence: planted SGD lr=0.8 (momentum 0.9): loss NaN by step 100, final val_mse NaN (null); control lr=0.01: val_mse 0.106 vs target var 1.009
# control: --control
"""Regression MLP (teacher network targets), SGD with momentum. lr=0.8 blows up to NaN."""
import argparse
import json
import math

import torch
import torch.nn as nn

parser = argparse.ArgumentParser(description="house-price style regression")
parser.add_argument("--lr", type=float, default=0.8)
parser.add_argument("--control", action="store_true", help="use the tuned learning rate")
parser.add_argument("--steps", type=int, default=1000)
args = parser.parse_args()
if args.control:
    args.lr = 0.01

torch.set_num_threads(1)
torch.manual_seed(42)

D = 16
teacher = nn.Sequential(nn.Linear(D, 32), nn.Tanh(), nn.Linear(32, 1))
for p in teacher.parameters():
    p.requires_grad_(False)


def sample(n):
    x = torch.randn(n, D)
    y = teacher(x) + 0.1 * torch.randn(n, 1)
    return x, y


X, Y = sample(5000)
Xv, Yv = sample(1000)
y_mean, y_std = Y.mean(), Y.std()
Y = (Y - y_mean) / y_std
Yv = (Yv - y_mean) / y_std

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
loss_fn = nn.MSELoss()

for step in range(1, args.steps + 1):
    idx = torch.randint(0, len(X), (32,))
    loss = loss_fn(model(X[idx]), Y[idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 100 == 0:
        with torch.no_grad():
            val = loss_fn(model(Xv), Yv).item()
        print(f"step {step:5d}  loss {loss.item():.5f}  val_mse {val:.5f}")

with torch.no_grad():
    val = loss_fn(model(Xv), Yv).item()
    tr = loss_fn(model(X), Y).item()


def clean(v):
    return round(v, 5) if math.isfinite(v) else None


print("CORPUS_METRIC " + json.dumps({"val_mse": clean(val), "train_mse": clean(tr),
                                     "target_var": round(Yv.var().item(), 4)}))
