"""ReLU RNN (IRNN-style) classifying 200-step vibration traces (drifting up vs down). The recurrent
matrix was 'boosted' to identity*1.06 + noise to keep memory over 200 steps, with no gradient
clipping. --control uses the plain IRNN init (identity*1.0 scaled by 0.9)."""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (W_hh=1.06*I) grad norm median 1.0e5, max 7.9e8, train_loss 1.8e5 at epoch 0, final val_loss 7.59 val_acc 0.973; control (0.9*I) grad norm median 0.0044 max 75, val_loss 0.000 val_acc 1.000
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
T = 200
def make(n):
    y = np.random.randint(0, 2, n)
    slope = np.where(y == 1, 1.0, -1.0)[:, None] * np.random.uniform(0.5, 1.5, (n, 1))
    t = np.linspace(0, 1, T)[None]
    x = slope * t + 0.3 * np.sin(2 * np.pi * 7 * t + np.random.rand(n, 1) * 6) + 0.3 * np.random.randn(n, T)
    return torch.tensor(x, dtype=torch.float32).unsqueeze(-1), torch.tensor(y)
Xtr, ytr = make(800); Xva, yva = make(300)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 32, nonlinearity="relu", batch_first=True); self.head = nn.Linear(32, 2)
    def forward(self, x):
        out, _ = self.rnn(x); return self.head(out[:, -1])
model = Net()
with torch.no_grad():
    scale = 0.9 if CONTROL else 1.06
    model.rnn.weight_hh_l0.copy_(scale * torch.eye(32) + 0.01 * torch.randn(32, 32))
    model.rnn.bias_hh_l0.zero_(); model.rnn.bias_ih_l0.zero_()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
gnorms = []
for epoch in range(5):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0; n = 0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward()
        g = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item(); gnorms.append(g)
        opt.step()
        if np.isfinite(loss.item()): tl += loss.item() * len(idx); n += len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    ep = gnorms[-25:]
    print(f"epoch {epoch} train_loss {tl / max(n, 1):.4f} val_loss {vl:.4f} val_acc {va:.3f} grad_norm median {np.median(ep):.3g} max {np.max(ep):.3g}")
g = np.array(gnorms); fin = g[np.isfinite(g)]
if fin.size == 0: fin = np.array([float('inf')])
print(f"grad-norm probe: first step {g[0]:.3g}, median {np.median(fin):.3g}, max {fin.max():.3g}, non-finite steps {int((~np.isfinite(g)).sum())}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4) if np.isfinite(vl) else None, "val_acc": round(va, 4), "chance_acc": 0.5,
      "grad_norm_max": float(f"{fin.max():.4g}") if np.isfinite(fin.max()) else None, "grad_norm_median": float(f"{np.median(fin):.4g}") if np.isfinite(np.median(fin)) else None, "nonfinite_grad_steps": int((~np.isfinite(g)).sum())}))
