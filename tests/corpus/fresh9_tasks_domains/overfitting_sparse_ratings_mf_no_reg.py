# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: no L2: train MSE 0.115 (ep 5) -> 0.0000 (ep 15+), val MSE best 0.588 at ep 5 then 0.608 at ep 40 (target var 0.683). Control (L2 0.05): val MSE 0.438 and still falling, train 0.012
# control: --control
# Sparse explicit-feedback MF (each user rated ~12 of 300 items) with 64-d user/item factors and
# biases, trained 40 epochs with plain Adam and NO regularisation -> memorises the training ratings.
# --control adds the usual L2 penalty on the factors (weight 0.05 per rating).
import json
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

L2 = 0.05 if "--control" in sys.argv else 0.0
torch.manual_seed(10)
torch.set_num_threads(1)

n_u, n_i, rank = 500, 300, 4
P = torch.randn(n_u, rank) * 0.55
Q = torch.randn(n_i, rank) * 0.55
b_i = torch.randn(n_i) * 0.5
rows = []
for u in range(n_u):
    items = torch.randperm(n_i)[:15]
    rows.append(torch.stack([torch.full((15,), u), items], 1))
pairs = torch.cat(rows)
r = (3.6 + b_i[pairs[:, 1]] + (P[pairs[:, 0]] * Q[pairs[:, 1]]).sum(1) + 0.35 * torch.randn(len(pairs))).clamp(1, 5)
perm = torch.randperm(len(pairs))
tr_idx, va_idx = perm[:6000], perm[6000:]

U = nn.Embedding(n_u, 64)
V = nn.Embedding(n_i, 64)
BU = nn.Embedding(n_u, 1)
BV = nn.Embedding(n_i, 1)
for e in (U, V):
    nn.init.normal_(e.weight, std=0.1)
for e in (BU, BV):
    nn.init.zeros_(e.weight)
params = [p for m in (U, V, BU, BV) for p in m.parameters()]
opt = torch.optim.Adam(params, lr=3e-3)
glob = r[tr_idx].mean()


def predict(idx):
    u, i = pairs[idx, 0], pairs[idx, 1]
    return glob + (U(u) * V(i)).sum(1) + BU(u).squeeze(1) + BV(i).squeeze(1), U(u), V(i)


history = []
for epoch in range(40):
    shuffled = tr_idx[torch.randperm(len(tr_idx))]
    for s in range(0, len(shuffled), 128):
        b = shuffled[s:s + 128]
        pred, pu, qi = predict(b)
        loss = F.mse_loss(pred, r[b]) + L2 * (pu.pow(2).sum(1) + qi.pow(2).sum(1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        tr_mse = F.mse_loss(predict(tr_idx)[0], r[tr_idx]).item()
        va_mse = F.mse_loss(predict(va_idx)[0], r[va_idx]).item()
    history.append(va_mse)
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1}: train_mse {tr_mse:.4f} val_mse {va_mse:.4f}")

print(f"best val_mse {min(history):.4f} at epoch {history.index(min(history)) + 1}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va_mse, 4), "train_mse": round(tr_mse, 4), "val_loss": round(va_mse, 4),
                                      "train_loss": round(tr_mse, 4), "target_var": round(r[va_idx].var().item(), 4),
                                      "best_val_mse": round(min(history), 4)}))
