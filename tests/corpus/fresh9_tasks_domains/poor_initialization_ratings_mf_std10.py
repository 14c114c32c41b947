# expect: poor_initialization
# allow: non_convergence, high_bias, exploding_gradients, learning_rate_too_low, overfitting, high_variance
# forbid: *
# evidence: std-10 init gives initial prediction std 566 (ratings std 0.94); after 15 epochs val_mse 258140 / train_mse 217447 (target var 0.88). Control (std 0.1): val_mse 0.335, train_mse 0.063
# control: --control
"""Explicit-rating recommender (user/item towers = embeddings + biases), MSE on 1-5 star ratings.
Planted: embeddings initialised with std 10 (someone copied `nn.init.normal_(w, std=10)` meaning 0.1)."""
import argparse
import json
import torch
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true", help="use std=0.1 init")
parser.add_argument("--epochs", type=int, default=15)
args = parser.parse_args()

torch.manual_seed(42)
torch.set_num_threads(1)

N_USERS, N_ITEMS = 400, 250
k = 5
pu, qi = torch.randn(N_USERS, k) * 0.6, torch.randn(N_ITEMS, k) * 0.6
bu, bi = 0.3 * torch.randn(N_USERS), 0.4 * torch.randn(N_ITEMS)
n_obs = 16000
users = torch.randint(0, N_USERS, (n_obs,))
items = torch.randint(0, N_ITEMS, (n_obs,))
raw = 3.5 + bu[users] + bi[items] + (pu[users] * qi[items]).sum(1) + 0.4 * torch.randn(n_obs)
ratings = raw.clamp(1, 5)
split = int(0.8 * n_obs)
tr = (users[:split], items[:split], ratings[:split])
va = (users[split:], items[split:], ratings[split:])
mu = tr[2].mean()


class TwoTower(nn.Module):
    def __init__(self, init_std):
        super().__init__()
        self.u = nn.Embedding(N_USERS, 32)
        self.i = nn.Embedding(N_ITEMS, 32)
        self.ub = nn.Embedding(N_USERS, 1)
        self.ib = nn.Embedding(N_ITEMS, 1)
        for emb in (self.u, self.i):
            nn.init.normal_(emb.weight, std=init_std)
        nn.init.zeros_(self.ub.weight)
        nn.init.zeros_(self.ib.weight)

    def forward(self, u, i):
        return mu + (self.u(u) * self.i(i)).sum(1) + self.ub(u).squeeze(1) + self.ib(i).squeeze(1)


init_std = 0.1 if args.control else 10.0
net = TwoTower(init_std)
opt = torch.optim.Adam(net.parameters(), lr=5e-3, weight_decay=0.0)
lossf = nn.MSELoss()

with torch.no_grad():
    p0 = net(*va[:2])
    print(f"init prediction std {p0.std().item():.2f} (ratings std {va[2].std().item():.2f})")

bs = 256
for ep in range(args.epochs):
    order = torch.randperm(split)
    run = 0.0
    for s in range(0, split, bs):
        b = order[s:s + bs]
        pred = net(tr[0][b], tr[1][b])
        loss = lossf(pred, tr[2][b]) + 5e-2 * (net.u(tr[0][b]).pow(2).sum(1) + net.i(tr[1][b]).pow(2).sum(1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        run += loss.item() * len(b)
    with torch.no_grad():
        tr_mse = lossf(net(*tr[:2]), tr[2]).item()
        va_mse = lossf(net(*va[:2]), va[2]).item()
    if ep % 5 == 0 or ep == args.epochs - 1:
        print(f"ep {ep:2d} batch_loss {run/split:.3f} train_mse {tr_mse:.3f} val_mse {va_mse:.3f}")

var = va[2].var().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(va_mse, 4), "train_mse": round(tr_mse, 4),
                                      "target_var": round(var, 4), "val_loss": round(va_mse, 4),
                                      "train_loss": round(tr_mse, 4)}))
