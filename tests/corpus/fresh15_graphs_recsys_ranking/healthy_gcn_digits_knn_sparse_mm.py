# expect:
# allow:
# forbid: *
# evidence: 10% labelled nodes; val_acc 0.427 -> 0.950, test_acc 0.958 (chance 0.1); val_loss 2.13 -> 0.21 and flat from epoch 50 while train loss keeps falling to 0.014 (dropout+weight decay; val does not rise)
# native-log: metrics.csv
# log-expect:
# log-allow:
"""Semi-supervised node classification: a kNN graph over sklearn digits, 2-layer GCN with a
symmetric-normalised sparse adjacency (torch.sparse.mm), 10% of nodes labelled."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.neighbors import kneighbors_graph
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = (X - X.mean(0)) / (X.std(0) + 1e-6)
n = X.shape[0]
A = kneighbors_graph(X, 8, mode="connectivity", include_self=False)
A = ((A + A.T) > 0).astype(np.float32).tocoo()
rows = np.concatenate([A.row, np.arange(n)]); cols = np.concatenate([A.col, np.arange(n)])
deg = np.bincount(rows, minlength=n).astype(np.float32)
vals = 1.0 / np.sqrt(deg[rows] * deg[cols])
adj = torch.sparse_coo_tensor(torch.tensor(np.vstack([rows, cols]), dtype=torch.long),
                              torch.tensor(vals, dtype=torch.float32), (n, n)).coalesce()
x = torch.tensor(X, dtype=torch.float32); yt = torch.tensor(y)
perm = torch.randperm(n)
tr, va, te = perm[:180], perm[180:480], perm[480:]

class GCN(nn.Module):
    def __init__(self, d, h, c):
        super().__init__()
        self.l1 = nn.Linear(d, h); self.l2 = nn.Linear(h, c); self.drop = nn.Dropout(0.5)
    def forward(self, x, adj):
        h = F.relu(torch.sparse.mm(adj, self.l1(self.drop(x))))
        return torch.sparse.mm(adj, self.l2(self.drop(h)))

model = GCN(64, 32, 10)
opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=5e-4)
f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline=""); w = csv.writer(f)
w.writerow(["epoch", "train_loss", "val_loss", "val_metric"])
for ep in range(100):
    model.train(); opt.zero_grad()
    out = model(x, adj); loss = F.cross_entropy(out[tr], yt[tr]); loss.backward(); opt.step()
    model.eval()
    with torch.no_grad():
        out = model(x, adj); vl = F.cross_entropy(out[va], yt[va]).item()
        vacc = (out[va].argmax(1) == yt[va]).float().mean().item()
    w.writerow([ep, round(loss.item(), 5), round(vl, 5), round(vacc, 4)])
    if ep % 25 == 0 or ep == 99:
        print(f"epoch {ep} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {vacc:.3f}")
f.close()
with torch.no_grad():
    out = model(x, adj); tacc = (out[te].argmax(1) == yt[te]).float().mean().item()
    trl = F.cross_entropy(out[tr], yt[tr]).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "test_acc": round(tacc, 4),
                                     "train_loss": round(trl, 4), "chance_acc": 0.1}))
