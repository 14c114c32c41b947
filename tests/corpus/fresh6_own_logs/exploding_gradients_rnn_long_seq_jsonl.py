# expect: exploding_gradients
# allow: poor_initialization, saturated_activations, learning_rate_too_high, non_convergence, non_finite, high_bias
# forbid: *
# evidence: planted gain 2.5: total grad norm 4.8e5 at step 0 (control 1.05), the first SGD step saturates the RNN (100% of states |h|>0.99 at the end), loss then hovers ~0.6 and val_mse 0.95 > target variance 0.66; control gain 1.0: max grad norm 12, val_mse 0.026
# control: --control
# native-log: train.jsonl
# log-expect:
# log-allow: exploding_gradients, learning_rate_too_high, non_convergence, non_finite, high_bias
"""Vanilla tanh RNN regressing a delayed running mean over 60 steps. Planted: recurrent weights initialised
orthogonal with gain 2.5 (spectral radius 2.5) and no gradient clipping; the backward pass through time blows
up and SGD steps are huge. Control: gain 1.0 (everything else the same).
Log: JSON lines {"step", "loss", "grad_norm"} plus {"step", "val_loss"} every 50 steps."""
import json, math, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
GAIN = 1.0 if "--control" in sys.argv else 2.5
T = 60

g = torch.Generator().manual_seed(51)
def make(n):
    x = torch.randn(n, T, 1, generator=g)
    y = x[:, -20:-5, 0].mean(1, keepdim=True) * 3.0   # needs memory of 5..20 steps back
    return x, y
xtr, ytr = make(3000)
xva, yva = make(500)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 48, batch_first=True, nonlinearity="tanh")
        nn.init.orthogonal_(self.rnn.weight_hh_l0, gain=GAIN)
        self.out = nn.Linear(48, 1)
    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1])

model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
log = open(os.path.join(LOG_DIR, "train.jsonl"), "w")
gmax = 0.0
for step in range(400):
    model.train()
    idx = torch.randint(0, len(xtr), (64,), generator=g)
    loss = F.mse_loss(model(xtr[idx]), ytr[idx])
    opt.zero_grad(); loss.backward()
    gn = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()
    gmax = max(gmax, gn) if math.isfinite(gn) else float("inf")
    if step == 0:
        g0 = gn
    opt.step()
    log.write(json.dumps({"step": step, "loss": loss.item() if math.isfinite(loss.item()) else None, "grad_norm": gn if math.isfinite(gn) else None}) + "\n")
    if step % 50 == 49:
        model.eval()
        with torch.no_grad():
            vl = F.mse_loss(model(xva), yva).item()
        log.write(json.dumps({"step": step, "val_loss": vl if math.isfinite(vl) else None}) + "\n")
        print(f"step {step + 1} loss {loss.item():.4f} grad_norm {gn:.3g} val_mse {vl:.4f}")
log.close()
with torch.no_grad():
    hs, _ = model.rnn(xva)
    sat = (hs.abs() > 0.99).float().mean().item()
print(f"probe: max total grad norm {gmax:.3g} (step-0 grad norm {g0:.3g}); fraction of RNN states with |h|>0.99: {sat:.2f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4) if math.isfinite(vl) else str(vl), "target_var": round(yva.var().item(), 4), "max_grad_norm": gmax if math.isfinite(gmax) else str(gmax), "gain": GAIN}))
