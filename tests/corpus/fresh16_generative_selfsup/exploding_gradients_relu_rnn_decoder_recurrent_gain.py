"""Autoregressive sequence model (teacher forcing) on noisy multi-frequency sine sequences:
a single-layer ReLU RNN decoder reads x_{<t} and predicts x_t (MSE), no gradient clipping.
The recurrent matrix is initialised orthogonal but with gain=2.0 ("a bit more than 1 keeps the
memory from fading"), so over 60 steps the state and the backprop-through-time gradients
grow by many orders of magnitude and Adam never recovers. --control uses gain=1.0 (plain
orthogonal). Per-step gradient norms are printed.
"""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, poor_initialization
# forbid: *
# evidence: planted (gain 2.0): per-step grad norm first-10 median 2.98e10, max 6.37e12, still ~1.2e7 at epoch 12, val MSE 9649 (target variance 0.63); control (gain 1.0): grad norm first-10 median 0.88, max 3.06, val MSE 0.0090
# control: --control
import os, sys, json, math, random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
GAIN = 1.0 if CONTROL else 2.0   # "a bit more than 1 keeps the memory from fading"

def make(n, L=61, seed=0):
    r = np.random.RandomState(seed)
    t = np.arange(L)[None]
    f1, f2 = r.uniform(0.05, 0.2, (n, 1)), r.uniform(0.2, 0.5, (n, 1))
    ph = r.uniform(0, 2 * np.pi, (n, 2))
    x = np.sin(f1 * t + ph[:, :1]) + 0.5 * np.sin(f2 * t + ph[:, 1:]) + 0.05 * r.randn(n, L)
    return torch.tensor(x[..., None], dtype=torch.float32)
tr, va = make(1024, seed=0), make(256, seed=1)

class Decoder(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.rnn = nn.RNN(1, h, nonlinearity="relu", batch_first=True)
        nn.init.orthogonal_(self.rnn.weight_hh_l0, gain=GAIN)
        self.out = nn.Linear(h, 1)
    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)

model = Decoder()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
EPOCHS, BS = 12, 32
norms = []
for ep in range(1, EPOCHS + 1):
    perm = torch.randperm(len(tr)); tot = 0; n = 0; ep_norms = []
    for i in range(0, len(tr), BS):
        xb = tr[perm[i:i + BS]]
        loss = F.mse_loss(model(xb[:, :-1]), xb[:, 1:])
        opt.zero_grad(); loss.backward()
        gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
        ep_norms.append(gn)
        opt.step()
        tot += loss.item() * len(xb); n += len(xb)
    norms += ep_norms
    with torch.no_grad():
        v = F.mse_loss(model(va[:, :-1]), va[:, 1:]).item()
    print(f"epoch {ep:2d} train MSE {tot / n:.4g} val MSE {v:.4g} | grad-norm median {np.median(ep_norms):.3g} max {np.max(ep_norms):.3g}")
var = va[:, 1:].var().item()
fin = [x for x in norms if math.isfinite(x)]
print(f"per-step grad norms: first-10 median {np.median(norms[:10]):.3g}, overall max {max(fin) if fin else float('nan'):.3g}, non-finite steps {len(norms) - len(fin)}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 5) if math.isfinite(v) else None, "target_variance": round(var, 4),
                                     "max_grad_norm": round(max(fin), 3) if fin else None, "nonfinite_grad_steps": len(norms) - len(fin)}))
