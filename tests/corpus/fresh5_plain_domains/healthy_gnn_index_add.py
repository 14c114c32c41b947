# expect:
# allow:
# forbid: *
# evidence: val node accuracy 0.979 (chance 0.25), val_loss 0.064 flat while train loss goes to 0.001
"""Node classification with a hand-written message-passing GNN (index_add_ aggregation)."""
import json
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

N, C, D = 800, 4, 16
labels = torch.randint(0, C, (N,))
# stochastic block model: many intra-community edges, few across
p_in, p_out = 0.03, 0.004
same = labels[:, None] == labels[None, :]
prob = torch.where(same, torch.tensor(p_in), torch.tensor(p_out))
adj = torch.rand(N, N) < prob
adj = torch.triu(adj, 1)
src, dst = adj.nonzero(as_tuple=True)
edge_index = torch.cat([torch.stack([src, dst]), torch.stack([dst, src])], 1)
# add self loops
loops = torch.arange(N)
edge_index = torch.cat([edge_index, torch.stack([loops, loops])], 1)

centers = torch.randn(C, D) * 0.6
x = centers[labels] + torch.randn(N, D)

perm = torch.randperm(N)
train_idx, val_idx = perm[:240], perm[240:]


class MeanConv(nn.Module):
    def __init__(self, din, dout):
        super().__init__()
        self.lin_self = nn.Linear(din, dout)
        self.lin_nb = nn.Linear(din, dout, bias=False)

    def forward(self, h, ei):
        s, d = ei
        msg = h[s]
        agg = torch.zeros_like(h).index_add_(0, d, msg)
        deg = torch.zeros(h.size(0)).index_add_(0, d, torch.ones(s.numel())).clamp(min=1)
        agg = agg / deg[:, None]
        return self.lin_self(h) + self.lin_nb(agg)


class GNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = MeanConv(D, 64)
        self.c2 = MeanConv(64, C)
        self.drop = nn.Dropout(0.5)

    def forward(self, h, ei):
        h = F.relu(self.c1(h, ei))
        h = self.drop(h)
        return self.c2(h, ei)


model = GNN()
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)

for epoch in range(150):
    model.train()
    opt.zero_grad()
    out = model(x, edge_index)
    loss = F.cross_entropy(out[train_idx], labels[train_idx])
    loss.backward()
    opt.step()
    if epoch % 10 == 0 or epoch == 149:
        model.eval()
        with torch.no_grad():
            out = model(x, edge_index)
            vl = F.cross_entropy(out[val_idx], labels[val_idx]).item()
            va = (out[val_idx].argmax(1) == labels[val_idx]).float().mean().item()
            ta = (out[train_idx].argmax(1) == labels[train_idx]).float().mean().item()
        print(f"epoch {epoch:3d} loss {loss.item():.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

model.eval()
with torch.no_grad():
    out = model(x, edge_index)
    tl = F.cross_entropy(out[train_idx], labels[train_idx]).item()
    vl = F.cross_entropy(out[val_idx], labels[val_idx]).item()
    va = (out[val_idx].argmax(1) == labels[val_idx]).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.25}))
