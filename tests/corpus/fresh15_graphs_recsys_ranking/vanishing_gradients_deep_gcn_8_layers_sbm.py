# expect: vanishing_gradients
# allow: non_convergence, high_bias, saturated_activations, poor_initialization
# forbid: *
# evidence: probe at step 0: per-layer weight-grad norms input->output 1.5e-08 ... 4.1e-01 (first/last 3.8e-08), loss stuck at 1.38 (ln4=1.386) for ~90 epochs, final val_acc 0.490; control (residual+LayerNorm, same 8 layers) first/last 0.65, val_acc 0.983 (chance 0.25)
# control: --control
"""PLANTED: an 8-layer GCN (sigmoid activations, no normalisation, no residuals) for node
classification on a stochastic-block-model graph, message passing written with index_add_.
Gradients shrink by orders of magnitude toward the first layers. Control: the same 8 layers
with residual connections + LayerNorm (the usual deep-GNN fix)."""
import os, sys, json, random
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv

# SBM: 4 blocks x 150 nodes, p_in 0.05, p_out 0.004; noisy features
C, NB = 4, 150; n = C * NB
blk = np.repeat(np.arange(C), NB)
P = np.where(blk[:, None] == blk[None, :], 0.05, 0.004)
Aup = np.triu(np.random.rand(n, n) < P, 1)
src, dst = np.nonzero(Aup | Aup.T)
src = torch.tensor(np.concatenate([src, np.arange(n)])); dst = torch.tensor(np.concatenate([dst, np.arange(n)]))
deg = torch.zeros(n).index_add_(0, dst, torch.ones(len(dst)))
norm = (deg[src] * deg[dst]).rsqrt()
centers = np.random.randn(C, 16)
X = torch.tensor(centers[blk] * 0.5 + np.random.randn(n, 16), dtype=torch.float32)
y = torch.tensor(blk)
perm = torch.randperm(n); tr, va = perm[:120], perm[120:]

def propagate(h):
    out = torch.zeros_like(h)
    return out.index_add_(0, dst, h[src] * norm[:, None])

class DeepGCN(nn.Module):
    def __init__(self, L=8, d=16, h=32, c=C):
        super().__init__()
        self.inp = nn.Linear(d, h)
        self.layers = nn.ModuleList([nn.Linear(h, h) for _ in range(L)])
        self.norms = nn.ModuleList([nn.LayerNorm(h) for _ in range(L)])
        self.out = nn.Linear(h, c)
    def forward(self, x):
        h = self.inp(x)
        for lin, ln in zip(self.layers, self.norms):
            z = torch.sigmoid(propagate(lin(h)))
            h = h + ln(z) if CONTROL else z
        return self.out(h)

model = DeepGCN()
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
def layer_grads():
    return [model.inp.weight.grad.norm().item()] + [l.weight.grad.norm().item() for l in model.layers] + [model.out.weight.grad.norm().item()]
for ep in range(120):
    model.train(); opt.zero_grad()
    loss = F.cross_entropy(model(X)[tr], y[tr]); loss.backward()
    if ep in (0, 119):
        g = layer_grads()
        print(f"epoch {ep} grad norms input->output: " + " ".join(f"{v:.1e}" for v in g) + f"  ratio first/last {g[0] / g[-1]:.1e}")
    opt.step()
    if ep % 30 == 0 or ep == 119:
        with torch.no_grad():
            out = model(X); vl = F.cross_entropy(out[va], y[va]).item(); vacc = (out[va].argmax(1) == y[va]).float().mean().item()
        print(f"epoch {ep} train_loss {loss.item():.4f} val_loss {vl:.4f} val_acc {vacc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(vacc, 4), "train_loss": round(loss.item(), 4),
      "chance_acc": 0.25, "grad_ratio_first_over_last": float(f"{g[0] / g[-1]:.3e}")}))
