"""Event detection in 300-step sensor traces: the class is set by a short pulse (up or down) in the
pulse steps 2-14, followed by 285 steps of background noise. A vanilla tanh nn.RNN reads the whole trace;
the gradient reaching the informative early steps vanishes through 285 tanh steps. --control feeds
the same traces time-reversed (the classic 'reverse the source' trick), so the pulse is near the
read-out and the gradient path is short; model, data and optimiser are unchanged."""
# expect: vanishing_gradients
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted: mean |dL/dx_t| over the pulse steps is 0.0 at init (final steps 9.1e-05) and 0.0 after training; val_acc 0.449, val_loss 0.703 (chance 0.5). control (time-reversed input, same RNN): val_acc 1.000, val_loss 0.0019
# control: --control
import os, sys, json, random, tempfile
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
CONTROL = "--control" in sys.argv
T = 300
def make(n):
    y = np.random.randint(0, 2, n)
    x = 0.5 * np.random.randn(n, T)
    x[:, 2:15] += np.where(y == 1, 1.0, -1.0)[:, None]
    return torch.tensor(x, dtype=torch.float32).unsqueeze(-1), torch.tensor(y)
Xtr, ytr = make(512); Xva, yva = make(256)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 24, batch_first=True); self.head = nn.Linear(24, 2)
    def forward(self, x):
        if CONTROL: x = torch.flip(x, dims=[1])
        out, _ = self.rnn(x); return self.head(out[:, -1])
model = Net(); opt = torch.optim.Adam(model.parameters(), lr=3e-3)

def probe():
    xb = Xtr[:64].clone().requires_grad_(True)
    F.cross_entropy(model(xb), ytr[:64]).backward()
    g = xb.grad.abs().mean(0).squeeze(-1); model.zero_grad()
    return g[2:15].mean().item(), g[-15:].mean().item()  # pulse steps (original time order) vs final steps
g_first0, g_last0 = probe()
for epoch in range(6):
    model.train(); perm = torch.randperm(len(Xtr)); tl = 0.0
    for i in range(0, len(Xtr), 32):
        idx = perm[i:i + 32]; loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tl += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    print(f"epoch {epoch} train_loss {tl / len(Xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
g_first, g_last = probe()
print(f"probe |dL/dx_t| at init: pulse steps 2-14 {g_first0:.3e}, final 15 steps {g_last0:.3e}, ratio {g_first0 / max(g_last0, 1e-30):.2e}")
print(f"probe |dL/dx_t| at end : pulse steps 2-14 {g_first:.3e}, final 15 steps {g_last:.3e}, ratio {g_first / max(g_last, 1e-30):.2e}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / len(Xtr), 4), "chance_acc": 0.5,
      "grad_ratio_pulse_over_final_init": float(f"{g_first0 / max(g_last0, 1e-30):.3g}"), "grad_ratio_pulse_over_final_end": float(f"{g_first / max(g_last, 1e-30):.3g}")}))
