# expect: exploding_gradients
# allow: non_finite, poor_initialization, non_convergence, learning_rate_too_high, high_bias, dead_units
# forbid: *
# evidence: planted (ReLU RNN, recurrent gain 1.25, T=50): step-0 grad norm 9.0e9 (control 4.0e2), stays 1e6-1e8 for the whole run, val_mse 3609 vs target var 0.110; control (gain 1.0): grad norm ~1 after warm-up, val_mse 0.0289
# control: --control
# Vanilla ReLU RNN ("IRNN" style) on 50-step sequences: predict the sum of the values at the two
# flagged positions (a variable-length adding problem, ~20% of steps flagged). The planted run scales the recurrent matrix to gain 1.25,
# so the hidden state and the backpropagated gradient grow ~1.25x per time step.
import json
import math
import sys

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)
CONTROL = "--control" in sys.argv
T = 50
REC_GAIN = 1.0 if CONTROL else 1.25


def adding_batch(n, gen):
    vals = torch.rand(n, T, generator=gen)
    marks = (torch.rand(n, T, generator=gen) < 0.2).float()
    x = torch.stack([vals, marks], -1)
    y = (vals * marks).sum(1, keepdim=True) / (0.1 * T)
    return x, y


class IRNN(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden) * REC_GAIN)
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()
        self.fc = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1])


g = torch.Generator().manual_seed(1)
xv, yv = adding_batch(1000, g)
model = IRNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
mse = nn.MSELoss()
for it in range(300):
    x, y = adding_batch(64, g)
    loss = mse(model(x), y)
    opt.zero_grad()
    loss.backward()
    gnorm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
    opt.step()
    if it % 30 == 0:
        print(f"iter {it:4d} mse {loss.item():.4g} grad_norm {gnorm.item():.4g} w_hh_grad {model.rnn.weight_hh_l0.grad.norm().item():.4g}")

with torch.no_grad():
    vm = mse(model(xv), yv).item()
f = lambda v: round(v, 5) if math.isfinite(v) else None
print("CORPUS_METRIC " + json.dumps({"val_mse": f(vm), "train_mse_last": f(loss.item()),
                                     "target_var": round(yv.var().item(), 4)}))
