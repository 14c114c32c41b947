# expect:
# allow:
# forbid: *
# evidence: matrix-factorisation recommender (user/item nn.Embedding(sparse=True) trained with SparseAdam, dense MLP on top with Adam; two optimisers) on ratings generated from hidden 4-d tastes + noise; val_mse 0.325 (still improving) vs rating variance 1.91 and noise floor 0.25; train_mse 0.262
"""Implicit-taste recommender: sparse embedding gradients need SparseAdam."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
U, I, D = 800, 500, 4
tu, ti = torch.randn(U, D), torch.randn(I, D)
bias_i = torch.randn(I) * 0.5


def make(n):
    u = torch.randint(0, U, (n,))
    i = torch.randint(0, I, (n,))
    r = (tu[u] * ti[i]).sum(1) * 0.6 + bias_i[i] + 0.5 * torch.randn(n)
    return u, i, r


utr, itr, rtr = make(50000)
uva, iva, rva = make(5000)
rmu = rtr.mean()


class Rec(nn.Module):
    def __init__(self):
        super().__init__()
        self.ue = nn.Embedding(U, 8, sparse=True)
        self.ie = nn.Embedding(I, 8, sparse=True)
        nn.init.normal_(self.ue.weight, std=0.1)
        nn.init.normal_(self.ie.weight, std=0.1)
        self.mlp = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 1))

    def forward(self, u, i):
        eu, ei = self.ue(u), self.ie(i)
        return (eu * ei).sum(1) + self.mlp(torch.cat([eu, ei], 1)).squeeze(1) + rmu


model = Rec()
sparse_opt = torch.optim.SparseAdam(list(model.ue.parameters()) + list(model.ie.parameters()), lr=1e-2)
dense_opt = torch.optim.Adam(model.mlp.parameters(), lr=1e-3)

for epoch in range(6):
    model.train()
    perm = torch.randperm(len(utr))
    tot = 0.0
    for s in range(0, len(utr), 256):
        idx = perm[s:s + 256]
        loss = F.mse_loss(model(utr[idx], itr[idx]), rtr[idx])
        sparse_opt.zero_grad()
        dense_opt.zero_grad()
        loss.backward()
        sparse_opt.step()
        dense_opt.step()
        tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        val_mse = F.mse_loss(model(uva, iva), rva).item()
    train_mse = tot / len(utr)
    print(f"epoch {epoch} train_mse {train_mse:.4f} val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_mse": round(train_mse, 4),
                                      "target_var": round(rva.var().item(), 4), "noise_var": 0.25}))
