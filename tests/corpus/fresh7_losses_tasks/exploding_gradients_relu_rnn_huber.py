# expect: exploding_gradients, non_finite
# allow: non_convergence, learning_rate_too_high, poor_initialization
# forbid: *
# evidence: probe step 0: grad norm W_hh 1.9e4, W_ih 1.2e4, head 745 (control: 0.08 / 0.15 / 0.18), loss 64.9 (control 0.42); NaN loss and weights from step 1, val metrics NaN; control (gain 1.0) val MSE 0.026 vs target var 0.97
# control: --control
"""Planted: exploding gradients in a ReLU RNN (recurrent weights scaled to gain 2.0).

Sensor-sequence regression: 60 time steps of 4 channels; the target is a weighted sum of the last
10 steps of channel 0 plus the mean of channel 1 (standardised).  nn.RNN(nonlinearity="relu"),
hidden 48, last hidden -> Linear; SmoothL1 (Huber) loss, so the loss itself bounds dL/dy to 1.
SGD lr=0.01, momentum 0.9, no clipping, 12 epochs.  Planted: W_hh = 2.0 * orthogonal, so states
and gradients grow geometrically over 60 steps.  --control: W_hh = 1.0 * orthogonal (gain 1);
nothing else changes.  Probe: gradient norms of W_ih / W_hh / head at the first steps.
"""
import argparse, json, math
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_num_threads(1); torch.manual_seed(0)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
T = 60

def make(n, g):
    x = torch.randn(n, T, 4, generator=g)
    y = x[:, -10:, 0] @ torch.linspace(0.2, 1.0, 10) + 2.0 * x[:, :, 1].mean(1) + 0.1 * torch.randn(n, generator=g)
    return x, y

g = torch.Generator().manual_seed(1)
xtr, ytr = make(3000, g); xva, yva = make(800, g)
ym, ys = ytr.mean(), ytr.std(); ytr = (ytr - ym) / ys; yva = (yva - ym) / ys

class Net(nn.Module):
    def __init__(s):
        super().__init__(); s.rnn = nn.RNN(4, 48, nonlinearity="relu", batch_first=True); s.head = nn.Linear(48, 1)
    def forward(s, x): return s.head(s.rnn(x)[0][:, -1]).squeeze(1)

m = Net()
with torch.no_grad():
    nn.init.orthogonal_(m.rnn.weight_hh_l0, gain=1.0 if args.control else 2.0)
    m.rnn.bias_hh_l0.zero_(); m.rnn.bias_ih_l0.zero_()
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
step = 0
for ep in range(12):
    perm = torch.randperm(len(xtr)); tot = 0.0; nb = 0; gmax = 0.0
    for i in range(0, len(xtr), 64):
        b = perm[i:i + 64]; loss = F.smooth_l1_loss(m(xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward()
        gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in m.parameters()))
        if step < 3: print(f"probe step {step}: loss {loss.item():.4g} grad norm W_ih {float(m.rnn.weight_ih_l0.grad.norm()):.3g} W_hh {float(m.rnn.weight_hh_l0.grad.norm()):.3g} head {float(m.head.weight.grad.norm()):.3g}")
        gmax = max(gmax, gn) if math.isfinite(gn) else float("inf")
        opt.step(); tot += loss.item(); nb += 1; step += 1
    with torch.no_grad(): pv = m(xva); vl = float(F.smooth_l1_loss(pv, yva)); mse = float(((pv - yva) ** 2).mean())
    print(f"epoch {ep+1} huber {tot/nb:.4f} val_huber {vl:.4f} val_mse {mse:.4f} max_grad_norm {gmax:.3g}")
with torch.no_grad(): tl = float(F.smooth_l1_loss(m(xtr), ytr))
fin = lambda v: round(v, 4) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_loss": fin(vl), "val_mse": fin(mse), "train_loss": fin(tl), "target_var": round(float(yva.var()), 4)}))
