# expect:
# allow:
# forbid: *
# evidence: val_acc 0.467 -> 0.92 (chance 0.5), val_loss 0.68 -> 0.161 best, 0.169 final (flat, within 5% of best); train_loss 0.044; dead ReLU probe 0.03
"""Graph classification (homophilous vs heterophilous wiring) with a hand-written 2-layer
message-passing net (index_add_ neighbour mean, concat with self), mean-pool readout, AdamW + cosine."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

# synthetic graph classification: each graph has 10-24 nodes of 3 types (one-hot features + noise).
# class 0 = homophilous wiring (edges mostly within a type), class 1 = heterophilous wiring.
# Type counts have the same distribution in both classes, so only the wiring separates them.
def make_graph(label):
    k = np.random.randint(10, 25); t = np.random.randint(0, 3, k)
    same = t[:, None] == t[None, :]
    p_same, p_diff = (0.35, 0.07) if label == 0 else (0.12, 0.22)
    A = np.triu(np.random.rand(k, k) < np.where(same, p_same, p_diff), 1)
    s, d = np.nonzero(A | A.T)
    x = np.eye(3)[t] + 0.3 * np.random.randn(k, 3)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(np.stack([s, d])), label
graphs = [make_graph(i % 2) for i in range(600)]
random.shuffle(graphs)
def collate(gs):
    xs, es, bs, off = [], [], [], 0
    for j, (x, e, _) in enumerate(gs):
        xs.append(x); es.append(e + off); bs.append(torch.full((len(x),), j)); off += len(x)
    return torch.cat(xs), torch.cat(es, 1), torch.cat(bs), torch.tensor([g[2] for g in gs])
train_g, val_g = graphs[:450], graphs[450:]
Xv, Ev, Bv, Yv = collate(val_g)

def mean_pool(h, batch, ng):
    s = torch.zeros(ng, h.shape[1]).index_add_(0, batch, h)
    c = torch.zeros(ng).index_add_(0, batch, torch.ones(len(batch))).clamp(min=1)
    return s / c[:, None]

class MPLayer(nn.Module):
    """h_i' = MLP([h_i, mean_{j in N(i)} h_j])"""
    def __init__(self, din, dout):
        super().__init__()
        self.lin = nn.Linear(2 * din, dout)
    def forward(self, h, e):
        agg = torch.zeros_like(h).index_add_(0, e[1], h[e[0]])
        deg = torch.zeros(len(h)).index_add_(0, e[1], torch.ones(e.shape[1])).clamp(min=1)
        return self.lin(torch.cat([h, agg / deg[:, None]], 1))
def BIAS_INIT_HOOK(m): pass

class GraphNet(nn.Module):
    def __init__(self, h=32):
        super().__init__()
        self.mp1, self.mp2 = MPLayer(3, h), MPLayer(h, h)
        self.head = nn.Sequential(nn.Linear(h, h), nn.ReLU(), nn.Linear(h, 2))
        BIAS_INIT_HOOK(self)
    def forward(self, x, e, batch, ng, return_hidden=False):
        h1 = F.relu(self.mp1(x, e)); h2 = F.relu(self.mp2(h1, e))
        out = self.head(mean_pool(h2, batch, ng))
        return (out, h1, h2) if return_hidden else out

model = GraphNet()
EPOCHS = 12
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-2)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS)
for ep in range(EPOCHS):
    model.train(); random.shuffle(train_g); tl = []
    for k in range(0, len(train_g), 32):
        X, E, B, Y = collate(train_g[k:k + 32])
        loss = F.cross_entropy(model(X, E, B, len(Y)), Y)
        opt.zero_grad(); loss.backward(); opt.step(); tl.append(loss.item())
    sched.step()
    model.eval()
    with torch.no_grad():
        out, h1, h2 = model(Xv, Ev, Bv, len(Yv), return_hidden=True)
        vl = F.cross_entropy(out, Yv).item(); vacc = (out.argmax(1) == Yv).float().mean().item()
        dead = torch.cat([(h1 > 0).sum(0) == 0, (h2 > 0).sum(0) == 0]).float().mean().item()
    if ep % 2 == 0 or ep == EPOCHS - 1:
        print(f"epoch {ep} train_loss {np.mean(tl):.4f} val_loss {vl:.4f} val_acc {vacc:.3f} dead_relu_frac {dead:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(float(np.mean(tl)), 4),
      "chance_acc": 0.5, "dead_relu_frac": round(dead, 3)}))
