"""Learning rate too high: plain SGD+momentum with lr=8 (copied from a sum-reduction
config) on a mean-reduced node-classification loss; the loss oscillates and jumps.
--control uses lr=0.2, nothing else changes.
Two-layer GCN (Kipf & Welling style, written by hand as A_hat @ X @ W) for
semi-supervised node classification on a synthetic stochastic-block-model graph.
Full-batch, dropout, 20% labelled nodes."""
# expect: learning_rate_too_high
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: planted (SGD lr=8): train loss jumps between ~0.8 and ~1.9 for 200 epochs, final val_acc 0.46 (chance 0.25, 0.70 at epoch 0); control (lr=0.2): val_acc 0.97, val loss 0.11
# control: --control
# native-log: metrics.csv
# log-expect: learning_rate_too_high
# log-allow: non_convergence
import os, sys, json, random, tempfile, csv
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

# ---- synthetic SBM graph -------------------------------------------------
N, K, F_IN = 600, 4, 16
rng = np.random.default_rng(0)
y_np = rng.integers(0, K, N)
p_in, p_out = 0.04, 0.004
P = np.where(y_np[:, None] == y_np[None, :], p_in, p_out)
A = (rng.random((N, N)) < P).astype(np.float32)
A = np.triu(A, 1); A = A + A.T
# weakly informative features: class mean + lots of noise
centers = rng.normal(0, 1, (K, F_IN))
X_np = 0.35 * centers[y_np] + rng.normal(0, 1, (N, F_IN))

A_t = torch.tensor(A) + torch.eye(N)
deg = A_t.sum(1)
d_inv_sqrt = deg.pow(-0.5)
A_hat = d_inv_sqrt[:, None] * A_t * d_inv_sqrt[None, :]
X = torch.tensor(X_np, dtype=torch.float32)
X = (X - X.mean(0)) / X.std(0)
y = torch.tensor(y_np)

perm = torch.randperm(N)
train_idx, val_idx = perm[:120], perm[120:360]


class GCN(nn.Module):
    def __init__(self, fin, hid, out, p=0.5):
        super().__init__()
        self.w1 = nn.Linear(fin, hid)
        self.w2 = nn.Linear(hid, out)
        self.p = p

    def forward(self, A_hat, X):
        h = F.dropout(X, self.p, self.training)
        h = F.relu(A_hat @ self.w1(h))
        h = F.dropout(h, self.p, self.training)
        return A_hat @ self.w2(h)


model = GCN(F_IN, 32, K)
CONTROL = "--control" in sys.argv
LR = 0.2 if CONTROL else 8.0
# plain SGD with momentum; the planted run uses a learning rate copied from a
# sum-reduction config, far too large for this mean-reduced loss
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=5e-4)

f = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])
for epoch in range(200):
    model.train()
    opt.zero_grad()
    out = model(A_hat, X)
    loss = F.cross_entropy(out[train_idx], y[train_idx])
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(A_hat, X)
        tl = F.cross_entropy(out[train_idx], y[train_idx]).item()
        ta = (out[train_idx].argmax(1) == y[train_idx]).float().mean().item()
        vl = F.cross_entropy(out[val_idx], y[val_idx]).item()
        va = (out[val_idx].argmax(1) == y[val_idx]).float().mean().item()
    w.writerow([epoch, f"{tl:.5f}", f"{ta:.4f}", f"{vl:.5f}", f"{va:.4f}", LR])
    if epoch % 20 == 0 or epoch == 199:
        print(f"epoch {epoch:3d} train_loss {tl:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                      "train_acc": round(ta, 4), "chance_acc": 0.25}))
