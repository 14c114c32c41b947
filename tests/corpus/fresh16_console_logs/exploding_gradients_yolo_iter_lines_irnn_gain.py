"""ReLU RNN (IRNN) regressing the end point of a random walk; console prints iter lines with grad_norm.

The recurrent weights were initialised as 1.25 * identity (the author scaled "for longer memory"),
and the script uses a length curriculum (sequences grow from 4 to 40 steps over training), so the
backprop-through-time gradient is multiplied by up to 1.25^T with T growing.  The console
("iter: 200  seq_len: 34  total_loss: 21.58  grad_norm: 1.37e+04  lr: 0.001") shows grad_norm growing by orders of
magnitude and the loss blowing up.  No clipping.  --control initialises W_hh = 1.0 * identity
(the standard IRNN recipe).
"""
# expect: exploding_gradients
# allow: non_finite, learning_rate_too_high, non_convergence, poor_initialization
# forbid: *
# evidence: planted (W_hh=1.25 I) printed grad_norm 0.94 (iter 0, len 4) -> 643 (iter 140) -> 1.37e+04 (iter 200) -> 2.14e+04 (iter 240), loss spikes to 21.6, final val_mse 0.966 (target var 3.30); control (W_hh = I) grad_norm 0.76 -> at most ~100, final val_mse 0.041
# control: --control
# native-log: train_console.log
# log-expect: exploding_gradients
# log-allow: non_finite, learning_rate_too_high, non_convergence
import os, sys, json, random, tempfile, math
import numpy as np
import torch
import torch.nn as nn

GAIN = 1.0 if "--control" in sys.argv else 1.25
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="iter_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "train_console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


T_MIN, T_MAX = 4, 40


def batch(n, g, T):
    steps = torch.rand(n, T, generator=g) - 0.5
    return steps.unsqueeze(-1), steps.sum(1, keepdim=True)


class IRNN(nn.Module):
    def __init__(self, h=64):
        super().__init__()
        self.rnn = nn.RNN(1, h, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(GAIN * torch.eye(h)); self.rnn.bias_hh_l0.zero_()
            self.rnn.weight_ih_l0.normal_(0, 0.1)
        self.out = nn.Linear(h, 1)

    def forward(self, x):
        return self.out(self.rnn(x)[0][:, -1])


g = torch.Generator().manual_seed(1)
Xva, yva = batch(512, g, T_MAX)
model = IRNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
echo(f"model: IRNN(hidden=64, W_hh={GAIN} * I)  seq_len: curriculum {T_MIN}->{T_MAX}  optimizer=Adam(lr=1e-3)  clip_grad=None")
MAX_ITER = 300
for it in range(MAX_ITER):
    T = T_MIN + (T_MAX - T_MIN) * it // (MAX_ITER - 60)  # reaches full length 60 iters before the end
    T = min(T, T_MAX)
    x, y = batch(32, g, T)
    loss = ((model(x) - y) ** 2).mean()
    opt.zero_grad(); loss.backward()
    gn = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
    opt.step()
    if it % 20 == 0 or it == MAX_ITER - 1:
        echo(f"iter: {it}  seq_len: {T}  total_loss: {loss.item():.4g}  grad_norm: {gn:.3g}  lr: {opt.param_groups[0]['lr']:.4g}")
    if (it + 1) % 100 == 0:
        with torch.no_grad():
            vm = ((model(Xva) - yva) ** 2).mean().item()
        echo(f"Eval @ iter {it + 1}: val_mse (len {T_MAX}): {vm:.4g}  (target var {yva.var().item():.4f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 5) if math.isfinite(vm) else str(vm), "target_var": round(yva.var().item(), 4)}))
