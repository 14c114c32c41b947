# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (K=64, no L2): val_mse bottoms at 0.486 (epoch 9) then climbs to 0.572 while train_mse falls to 0.026 (noise floor 0.25); control (L2 0.1): val_mse 0.354, train 0.22
# control: --control
"""Plain matrix factorisation (raw tensors + Adam) on a small explicit-ratings table (movie-club sized). The author bumped the factor
dimension to 64 'for capacity' and dropped the L2 penalty while debugging, then trained for
many epochs: train MSE keeps falling while held-out MSE turns around and climbs."""
import argparse
import json
import torch

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true", help="restore the L2 penalty on the factors")
args = ap.parse_args()

torch.manual_seed(3)
torch.set_num_threads(1)

NU, NI, R = 300, 250, 4
Ut, Vt = torch.randn(NU, R) * 0.6, torch.randn(NI, R) * 0.6
N = 20000
users = torch.randint(0, NU, (N,))
items = torch.randint(0, NI, (N,))
ratings = (Ut[users] * Vt[items]).sum(1) + 0.5 * torch.randn(N)
split = int(0.8 * N)
tr_u, tr_i, tr_r = users[:split], items[:split], ratings[:split]
va_u, va_i, va_r = users[split:], items[split:], ratings[split:]

K = 64
P = (0.1 * torch.randn(NU, K)).requires_grad_()
Q = (0.1 * torch.randn(NI, K)).requires_grad_()
b_u = torch.zeros(NU, requires_grad=True)
b_i = torch.zeros(NI, requires_grad=True)
l2 = 0.1 if args.control else 0.0

opt = torch.optim.Adam([P, Q, b_u, b_i], lr=0.004)


def predict(uu, ii):
    return (P[uu] * Q[ii]).sum(1) + b_u[uu] + b_i[ii]


batch = 512
for epoch in range(30):
    perm = torch.randperm(split)
    run = 0.0
    for k in range(0, split, batch):
        j = perm[k:k + batch]
        pred = predict(tr_u[j], tr_i[j])
        mse = torch.mean((pred - tr_r[j]) ** 2)
        reg = l2 * (P[tr_u[j]].pow(2).sum(1) + Q[tr_i[j]].pow(2).sum(1)).mean()
        opt.zero_grad()
        (mse + reg).backward()
        opt.step()
        run += mse.item() * len(j)
    with torch.no_grad():
        val = torch.mean((predict(va_u, va_i) - va_r) ** 2).item()
    print(f"[{epoch+1:02d}] train_mse={run/split:.4f} val_mse={val:.4f}")

with torch.no_grad():
    trm = torch.mean((predict(tr_u, tr_i) - tr_r) ** 2).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val, 4), "train_loss": round(trm, 4),
                                     "val_loss": round(val, 4), "target_var": round(va_r.var().item(), 4),
                                     "noise_var": 0.25}))
