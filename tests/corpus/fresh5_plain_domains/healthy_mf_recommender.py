# expect:
# allow:
# forbid: *
# evidence: held-out rating MSE 0.199 vs rating variance 1.74 (noise floor 0.16); train 0.155
"""Explicit-feedback matrix factorisation (user/item embeddings + biases), minibatch Adam
with L2 on the factors, evaluated on held-out ratings."""
import json
import torch
import torch.nn as nn

torch.manual_seed(2)
torch.set_num_threads(1)

n_users, n_items, rank = 600, 450, 6
U = torch.randn(n_users, rank) * 0.7
V = torch.randn(n_items, rank) * 0.7
bu = torch.randn(n_users) * 0.3
bi = torch.randn(n_items) * 0.3
n_obs = 80000
u = torch.randint(0, n_users, (n_obs,))
i = torch.randint(0, n_items, (n_obs,))
r = 3.5 + bu[u] + bi[i] + (U[u] * V[i]).sum(1) + 0.4 * torch.randn(n_obs)
perm = torch.randperm(n_obs)
tr, va = perm[:70000], perm[70000:]


class MF(nn.Module):
    def __init__(self, nu, ni, k=16):
        super().__init__()
        self.P = nn.Embedding(nu, k)
        self.Q = nn.Embedding(ni, k)
        self.bu = nn.Embedding(nu, 1)
        self.bi = nn.Embedding(ni, 1)
        self.mu = nn.Parameter(torch.tensor(3.5))
        for e in (self.P, self.Q):
            nn.init.normal_(e.weight, std=0.1)
        nn.init.zeros_(self.bu.weight)
        nn.init.zeros_(self.bi.weight)

    def forward(self, u, i):
        p, q = self.P(u), self.Q(i)
        return self.mu + self.bu(u).squeeze(1) + self.bi(i).squeeze(1) + (p * q).sum(1), p, q


model = MF(n_users, n_items)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
lam = 5e-2
bs = 2048

for epoch in range(14):
    model.train()
    order = tr[torch.randperm(len(tr))]
    tot = 0.0
    for s in range(0, len(order), bs):
        b = order[s:s + bs]
        pred, p, q = model(u[b], i[b])
        mse = ((pred - r[b]) ** 2).mean()
        loss = mse + lam * ((p ** 2).sum(1) + (q ** 2).sum(1)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += mse.item() * len(b)
    model.eval()
    with torch.no_grad():
        vp, _, _ = model(u[va], i[va])
        vmse = ((vp - r[va]) ** 2).mean().item()
    print(f"epoch {epoch+1} train_mse {tot/len(tr):.4f} val_mse {vmse:.4f}")

with torch.no_grad():
    tp, _, _ = model(u[tr], i[tr])
    tmse = ((tp - r[tr]) ** 2).mean().item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "train_loss": round(tmse, 4),
                                     "target_var": round(r[va].var().item(), 4), "noise_var": 0.16}))
