# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, high_variance
# forbid: *
# evidence: planted (raw A+I sum): 91% of tanh outputs |h|>0.99, val_acc 0.550, val_loss 1.136; control (D^-1(A+I)): 0% saturated, val_acc 0.6525, val_loss 0.965 (chance 0.25)
# control: --control
"""Node classification on a synthetic stochastic-block-model graph with a 2-layer GCN written
with a dense adjacency matrix (plain PyTorch, Adam). The author aggregates with the raw
adjacency, h = tanh((A + I) @ h @ W), instead of a degree-normalised one. Nodes have ~50
neighbours, so the aggregated pre-activations are tens of times larger than the features and
the tanh units sit at +-1 almost all the time. --control uses the row-normalised adjacency
D^-1 (A + I) (mean aggregation) and changes nothing else. Only 200 nodes are labelled, so
both runs show some train/val gap (hence high_variance is allowed). A probe reports the fraction of hidden
tanh outputs with |h| > 0.99.
"""
import argparse
import json

import torch
from torch import nn
from torch.nn import functional as F


def sbm(n, k, p_in, p_out, g):
    y = torch.randint(0, k, (n,), generator=g)
    same = (y[:, None] == y[None, :]).float()
    prob = same * p_in + (1 - same) * p_out
    a = (torch.rand(n, n, generator=g) < prob).float()
    a = torch.triu(a, 1)
    a = a + a.T
    feat_mu = torch.randn(k, 16, generator=g) * 0.3
    x = feat_mu[y] + torch.randn(n, 16, generator=g)
    return a, x, y


class DenseGCN(nn.Module):
    def __init__(self, d_in, d_h, k):
        super().__init__()
        self.w1 = nn.Linear(d_in, d_h)
        self.w2 = nn.Linear(d_h, d_h)
        self.out = nn.Linear(d_h, k)

    def forward(self, adj, x):
        h1 = torch.tanh(adj @ self.w1(x))
        h2 = torch.tanh(adj @ self.w2(h1))
        return self.out(h2), (h1, h2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    n, k = 800, 4
    a, x, y = sbm(n, k, p_in=0.08, p_out=0.05, g=g)
    a_hat = a + torch.eye(n)
    if args.control:
        a_hat = a_hat / a_hat.sum(1, keepdim=True)
    perm = torch.randperm(n, generator=g)
    tr, va = perm[:200], perm[400:]
    model = DenseGCN(16, 32, k)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=5e-4)
    for epoch in range(150):
        model.train()
        logits, (h1, h2) = model(a_hat, x)
        loss = F.cross_entropy(logits[tr], y[tr])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch % 15 == 0:
            sat = torch.cat([h1.abs().flatten(), h2.abs().flatten()]).gt(0.99).float().mean().item()
            acc = (logits[va].argmax(1) == y[va]).float().mean().item()
            print(f"epoch {epoch} loss {loss.item():.4f} saturated_frac {sat:.3f} val_acc {acc:.4f}")
    model.eval()
    with torch.no_grad():
        logits, (h1, h2) = model(a_hat, x)
    sat = torch.cat([h1.abs().flatten(), h2.abs().flatten()]).gt(0.99).float().mean().item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(logits[va], y[va]).item(), 4),
        "val_acc": round((logits[va].argmax(1) == y[va]).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(logits[tr], y[tr]).item(), 4),
        "chance_acc": 0.25,
        "saturated_frac": round(sat, 4),
    }))


if __name__ == "__main__":
    main()
