"""Overfitting: only a handful of labelled graphs (a small assay) for a wide
GraphSAGE model trained for many full-batch epochs with no regularisation.
Graph classification with a hand-written GraphSAGE (mean aggregator) and mean
pooling. Each synthetic molecule-like graph has 20 nodes of 3 types; the label says
whether bonds mostly join unlike types (heterophilous) or like types. Graphs of a
fixed size are batched as dense [B, n, n] adjacency tensors. AdamW + step decay."""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (40 graphs): train loss -> 0.0000, train acc 1.00, val loss rises from its minimum 0.71 to 2.47, val_acc 0.63 (chance 0.50); control (600 graphs): val loss 0.30, val_acc 0.89
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
rng = np.random.default_rng(0)

N_NODES, N_TYPES, EXTRA = 20, 3, 6


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


CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
N_TRAIN = 600 if CONTROL else 40          # the planted cause: 40 labelled graphs
Xtr, Atr, ytr = make_graphs(N_TRAIN)
Xva, Ava, yva = make_graphs(400)
model = SAGEClassifier(N_TYPES + EXTRA, 64)
opt = torch.optim.Adam(model.parameters(), lr=5e-3)

f = open(os.path.join(LOG_DIR, "history.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
EPOCHS = 80
for epoch in range(EPOCHS):
    model.train()
    out = model(Xtr, Atr)
    loss = F.cross_entropy(out, ytr)
    opt.zero_grad(); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        out = model(Xtr, Atr)
        tl = F.cross_entropy(out, ytr).item()
        ta = (out.argmax(1) == ytr).float().mean().item()
        out = model(Xva, Ava)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, f"{tl:.5f}", f"{ta:.4f}", f"{vl:.5f}", f"{va:.4f}"])
    if epoch % 10 == 0 or epoch == EPOCHS - 1:
        print(f"epoch {epoch:3d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(ta, 4), "chance_acc": 0.5, "n_train_graphs": N_TRAIN}))
