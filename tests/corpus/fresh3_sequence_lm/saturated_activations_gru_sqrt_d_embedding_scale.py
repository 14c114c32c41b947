# expect: saturated_activations
# allow: vanishing_gradients, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: control (no sqrt(d) factor) val_acc 0.99, val_loss 0.017; planted val_acc 0.66, val_loss 0.60 (chance 0.5); probe: 89% of gate pre-activations |z|>4 and 93% of hidden entries |h|>0.99 (control 0.4% and 1.4%)
# control: --control
"""Sequence classifier (does token A occur more often than token B in a 40-token sequence?)
with a GRU over 128-d embeddings. The author copied `self.emb(x) * math.sqrt(d_model)` from a
Transformer tutorial. There the embedding is initialised with std d_model**-0.5 and the scale
restores unit variance; here nn.Embedding keeps its default N(0, 1) init, so the GRU inputs have
std 11 and the gate / candidate pre-activations are in the tens: the sigmoid gates sit at 0/1 and
the tanh candidate at +-1, and the counting behaviour is hard to learn. --control drops the
sqrt(d_model) factor. Probe: fraction of GRU gate pre-activations (input part) with |z| > 4 and
fraction of hidden-state entries with |h| > 0.99.
"""
import argparse
import json
import math

import torch
from torch import nn
from torch.nn import functional as F

p = argparse.ArgumentParser()
p.add_argument("--control", action="store_true")
args = p.parse_args()

torch.set_num_threads(1)
torch.manual_seed(10)
VOC, T, D, H = 20, 40, 128, 48


def make(n, g):
    x = torch.randint(2, VOC, (n, T), generator=g)
    # sprinkle A (=0) and B (=1) tokens with random counts
    na = torch.randint(0, 8, (n,), generator=g)
    nb = torch.randint(0, 8, (n,), generator=g)
    nb = torch.where(na == nb, nb + 1, nb)
    for i in range(n):
        pos = torch.randperm(T, generator=g)[: na[i] + nb[i]]
        x[i, pos[: na[i]]] = 0
        x[i, pos[na[i]:]] = 1
    return x, (na > nb).long()


g = torch.Generator().manual_seed(10)
xtr, ytr = make(3000, g)
xva, yva = make(800, g)


class GRUClassifier(nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.emb = nn.Embedding(VOC, D)
        self.scale = scale
        self.gru = nn.GRU(D, H, batch_first=True)
        self.head = nn.Linear(H, 2)

    def embed(self, x):
        return self.emb(x) * self.scale

    def forward(self, x):
        out, _ = self.gru(self.embed(x))
        return self.head(out[:, -1]), out


model = GRUClassifier(1.0 if args.control else math.sqrt(D))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
for epoch in range(6):
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):
        ix = perm[i:i + 64]
        loss = F.cross_entropy(model(xtr[ix])[0], ytr[ix])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        va = (model(xva)[0].argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {loss.item():.4f} val_acc {va:.3f}")

with torch.no_grad():
    lv, hv = model(xva)
    lt, _ = model(xtr[:800])
    pre = model.embed(xva) @ model.gru.weight_ih_l0.t() + model.gru.bias_ih_l0
    sat_pre = (pre.abs() > 4).float().mean().item()
    sat_h = (hv.abs() > 0.99).float().mean().item()
print("CORPUS_METRIC " + json.dumps({
    "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
    "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
    "train_loss": round(F.cross_entropy(lt, ytr[:800]).item(), 4), "chance_acc": 0.5,
    "probe_frac_gate_preact_abs_gt4": round(sat_pre, 4), "probe_frac_hidden_abs_gt_0.99": round(sat_h, 4)}))
