# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, dead_units
# forbid: *
# evidence: planted (A + I, sum aggregation) total grad norm 1.7e3 at the first step, peaking at 2.6e8, loss stuck at 1.386 (= ln 4), val_acc 0.27 = majority rate (chance 0.25); control (sym-normalised adjacency, same SGD lr 0.05) grad norm <= 0.65, val_acc 0.97, val_loss 0.11
# control: --control
"""Hand-written 3-layer GCN (Kipf & Welling style) for node
classification on a synthetic stochastic-block-model graph with noisy node features, trained with SGD+momentum (lr 0.05).
Planted: the adjacency is used un-normalised (A + I, sum aggregation: `a_hat = A + eye`) instead of
D^-1/2 (A+I) D^-1/2, so every layer multiplies the signal (and the backward pass) by ~the node degree (~9).
--control: the symmetric normalisation."""
import argparse, json
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class GraphCfg:
    n_nodes: int = 800
    priors: tuple = (0.25, 0.25, 0.25, 0.25)
    p_in: float = 0.03
    p_out: float = 0.004
    feat_dim: int = 32
    feat_signal: float = 0.5
    train_frac: float = 0.3
    seed: int = 0


@dataclass
class TrainCfg:
    hidden: int = 64
    dropout: float = 0.5
    lr: float = 1e-2
    wd: float = 5e-4
    epochs: int = 200
    patience: int = 30


def make_graph(g):
    rng = np.random.default_rng(g.seed)
    k = len(g.priors)
    y = rng.choice(k, size=g.n_nodes, p=np.array(g.priors))
    same = y[:, None] == y[None, :]
    P = np.where(same, g.p_in, g.p_out)
    A = np.triu(rng.random((g.n_nodes, g.n_nodes)) < P, 1)
    A = (A | A.T).astype(np.float32)
    centers = rng.normal(size=(k, g.feat_dim))
    X = g.feat_signal * centers[y] + rng.normal(size=(g.n_nodes, g.feat_dim))
    perm = rng.permutation(g.n_nodes)
    n_tr = int(g.train_frac * g.n_nodes)
    return A, X.astype(np.float32), y, perm[:n_tr], perm[n_tr:]


def normalize_adj(A):
    A = A + torch.eye(A.shape[0])
    d = A.sum(1).pow(-0.5)
    return d[:, None] * A * d[None, :]


class GCNLayer(nn.Module):
    def __init__(self, i, o):
        super().__init__()
        self.lin = nn.Linear(i, o)
        nn.init.xavier_uniform_(self.lin.weight); nn.init.zeros_(self.lin.bias)

    def forward(self, x, a_hat):
        return a_hat @ self.lin(x)


class GCN(nn.Module):
    def __init__(self, i, h, o, p):
        super().__init__()
        self.g1, self.g2, self.g3, self.p = GCNLayer(i, h), GCNLayer(h, h), GCNLayer(h, o), p

    def forward(self, x, a_hat):
        x = F.dropout(x, self.p, self.training)
        x = F.relu(self.g1(x, a_hat))
        x = F.dropout(x, self.p, self.training)
        x = F.relu(self.g2(x, a_hat))
        return self.g3(x, a_hat)


def metrics(logits, y, k):
    pred = logits.argmax(1)
    acc = (pred == y).float().mean().item()
    recalls = [((pred == c) & (y == c)).sum().item() / max(1, (y == c).sum().item()) for c in range(k)]
    return acc, float(np.mean(recalls)), recalls


def run(g, t, normalize=True):
    torch.manual_seed(g.seed)
    A, X, y, tr, va = make_graph(g)
    k = len(g.priors)
    a_hat = normalize_adj(torch.tensor(A)) if normalize else torch.tensor(A) + torch.eye(len(A))
    X, y = torch.tensor(X), torch.tensor(y)
    tr, va = torch.tensor(tr), torch.tensor(va)
    model = GCN(X.shape[1], t.hidden, k, t.dropout)
    opt = torch.optim.SGD(model.parameters(), lr=t.lr, momentum=0.9, weight_decay=t.wd)
    gnorms = []
    best, best_state, bad = 1e9, None, 0
    for ep in range(t.epochs):
        model.train()
        loss = F.cross_entropy(model(X, a_hat)[tr], y[tr])
        opt.zero_grad(); loss.backward()
        gnorms.append(float(torch.sqrt(sum((p_.grad ** 2).sum() for p_ in model.parameters()))))
        opt.step()
        model.eval()
        with torch.no_grad():
            out = model(X, a_hat)
            vl = F.cross_entropy(out[va], y[va]).item()
        if not np.isfinite(vl):
            print(f"val loss not finite at epoch {ep+1}"); break
        if vl < best:
            best, bad = vl, 0
            best_state = {kk: v.clone() for kk, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= t.patience:
                print(f"early stop at epoch {ep+1}")
                break
        if ep % 25 == 0:
            print(f"epoch {ep+1} train_loss {loss.item():.4f} val_loss {vl:.4f}")
    print(f"grad norm first step {gnorms[0]:.3g}, max {max(gnorms):.3g}")
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    with torch.no_grad():
        out = model(X, a_hat)
        vl = F.cross_entropy(out[va], y[va]).item()
        tl = F.cross_entropy(out[tr], y[tr]).item()
    va_acc, va_bal, rec = metrics(out[va], y[va], k)
    tr_acc, _, _ = metrics(out[tr], y[tr], k)
    maj = max(np.bincount(y[va].numpy(), minlength=k)) / len(va)
    return {"val_loss": round(vl, 4), "val_acc": round(va_acc, 4), "val_balanced_acc": round(va_bal, 4),
            "val_recall_per_class": [round(r, 3) for r in rec], "train_loss": round(tl, 4), "train_acc": round(tr_acc, 4),
            "majority_rate": round(float(maj), 4), "chance_acc": round(1 / k, 4)}


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    res = run(GraphCfg(), TrainCfg(lr=0.05), normalize=a.control)
    print("CORPUS_METRIC " + json.dumps(res))


if __name__ == "__main__":
    main()
