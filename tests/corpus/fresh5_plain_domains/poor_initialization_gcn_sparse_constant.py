# expect: poor_initialization
# allow: non_convergence, high_bias, vanishing_gradients
# forbid: *
# evidence: planted (constant 0.05 weights, all hidden units identical): train_acc 0.43, val_acc 0.335 (chance 0.2); control (Glorot uniform): train_acc 1.0, val_acc 0.848
# control: --control
"""GCN with a sparse normalised adjacency (torch.sparse.mm). Weights are hand-rolled
nn.Parameters; the author initialised them with a constant "small value" instead of a random
init, so every hidden unit computes the same thing (symmetry is never broken)."""
import argparse
import json
import math
import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true", help="use Glorot-uniform init instead of the constant")
args = p.parse_args()

torch.manual_seed(1)
torch.set_num_threads(1)

N, C, D, H = 900, 5, 24, 48
y = torch.randint(0, C, (N,))
same = y[:, None] == y[None, :]
prob = torch.where(same, torch.tensor(0.02), torch.tensor(0.003))
A = torch.triu(torch.rand(N, N) < prob, 1)
A = (A | A.T).float() + torch.eye(N)
deg = A.sum(1)
dinv = deg.pow(-0.5)
A_hat = (dinv[:, None] * A * dinv[None, :]).to_sparse()

proto = torch.randn(C, D) * 0.5
X = proto[y] + torch.randn(N, D)
idx = torch.randperm(N)
tr, va = idx[:300], idx[300:]


class GCNLayer(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.W = nn.Parameter(torch.empty(din, dout))
        self.b = nn.Parameter(torch.zeros(dout))
        if args.control:
            bound = math.sqrt(6.0 / (din + dout))
            nn.init.uniform_(self.W, -bound, bound)
        else:
            nn.init.constant_(self.W, 0.05)  # "start small"

    def forward(self, A, h):
        return torch.sparse.mm(A, h @ self.W) + self.b


class GCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = GCNLayer(D, H)
        self.l2 = GCNLayer(H, H)
        self.l3 = GCNLayer(H, C)

    def forward(self, A, x):
        h = torch.relu(self.l1(A, x))
        h = torch.relu(self.l2(A, h))
        return self.l3(A, h)


model = GCN()
opt = torch.optim.Adam(model.parameters(), lr=5e-3, weight_decay=5e-4)
lossf = nn.CrossEntropyLoss()

for epoch in range(200):
    model.train()
    opt.zero_grad()
    out = model(A_hat, X)
    loss = lossf(out[tr], y[tr])
    loss.backward()
    opt.step()
    if epoch % 20 == 0 or epoch == 199:
        model.eval()
        with torch.no_grad():
            out = model(A_hat, X)
            vl = lossf(out[va], y[va]).item()
            vacc = (out[va].argmax(1) == y[va]).float().mean().item()
        print(f"ep {epoch} train_loss={loss.item():.4f} val_loss={vl:.4f} val_acc={vacc:.3f}")

model.eval()
with torch.no_grad():
    out = model(A_hat, X)
    tl = lossf(out[tr], y[tr]).item()
    vl = lossf(out[va], y[va]).item()
    vacc = (out[va].argmax(1) == y[va]).float().mean().item()
    tacc = (out[tr].argmax(1) == y[tr]).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(tl, 4),
                                     "train_acc": round(tacc, 4), "chance_acc": 0.2}))
