"""Graph classification with a hand-written GraphSAGE (mean aggregator) and mean
pooling. Each synthetic molecule-like graph has 20 nodes of 3 types; the label says
whether bonds mostly join unlike types (heterophilous) or like types. Graphs of a
fixed size are batched as dense [B, n, n] adjacency tensors. AdamW + step decay."""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.96 on 400 held-out graphs (chance 0.50) after 14 epochs on 800 graphs; train loss 0.050, val loss 0.143
# native-log:
import os, sys, json, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
rng = np.random.default_rng(0)

N_NODES, N_TYPES, EXTRA = 20, 3, 5


def make_graphs(m):
    X = np.zeros((m, N_NODES, N_TYPES + EXTRA), np.float32)
    A = np.zeros((m, N_NODES, N_NODES), np.float32)
    y = rng.integers(0, 2, m)
    for g in range(m):
        t = rng.integers(0, N_TYPES, N_NODES)
        same = t[:, None] == t[None, :]
        p_same, p_diff = (0.24, 0.10) if y[g] == 0 else (0.10, 0.17)
        P = np.where(same, p_same, p_diff)
        E = np.triu(rng.random((N_NODES, N_NODES)) < P, 1)
        A[g] = E + E.T
        X[g, np.arange(N_NODES), t] = 1.0
        X[g, :, N_TYPES:] = rng.normal(0, 1, (N_NODES, EXTRA))   # irrelevant attributes
    return torch.tensor(X), torch.tensor(A), torch.tensor(y)


class SAGELayer(nn.Module):
    def __init__(self, fin, fout):
        super().__init__()
        self.self_lin = nn.Linear(fin, fout)
        self.neigh_lin = nn.Linear(fin, fout, bias=False)

    def forward(self, X, A):
        deg = A.sum(-1, keepdim=True).clamp(min=1.0)
        neigh = (A @ X) / deg
        return self.self_lin(X) + self.neigh_lin(neigh)


class SAGEClassifier(nn.Module):
    def __init__(self, fin, hid):
        super().__init__()
        self.l1 = SAGELayer(fin, hid)
        self.l2 = SAGELayer(hid, hid)
        self.head = nn.Sequential(nn.Linear(hid, hid), nn.ReLU(), nn.Linear(hid, 2))

    def forward(self, X, A):
        h = F.relu(self.l1(X, A))
        h = F.relu(self.l2(h, A))
        return self.head(h.mean(1))          # mean pooling over nodes


Xtr, Atr, ytr = make_graphs(800)
Xva, Ava, yva = make_graphs(400)
model = SAGEClassifier(N_TYPES + EXTRA, 64)
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)

for epoch in range(14):
    model.train()
    perm = torch.randperm(len(ytr))
    tot = 0.0
    for i in range(0, len(ytr), 32):
        idx = perm[i:i + 32]
        loss = F.cross_entropy(model(Xtr[idx], Atr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tot += loss.item() * len(idx)
    sched.step()
    model.eval()
    with torch.no_grad():
        out = model(Xva, Ava)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    if epoch % 3 == 0 or epoch == 13:
        print(f"epoch {epoch:2d} train_loss {tot/len(ytr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
with torch.no_grad():
    tl = F.cross_entropy(model(Xtr, Atr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.5}))
