# expect: exploding_gradients
# allow: learning_rate_too_high, non_finite, non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (SGD lr 3e-3 m0.9, no clipping) pre-clip grad norm 78 at step 0 and up to 264, after which the IRNN collapses to predicting the mean: val_mse 0.2474 vs target_var 0.2476 (R^2 0.00); control (clip_grad_norm 1.0) val_mse 0.062, train_mse 0.061 (R^2 0.75)
# control: --control
"""IRNN (Le et al. 2015 style: ReLU RNN with identity-initialised recurrent weights) on the adding
problem, following the paper's recipe -- except the gradient clipping the recipe relies on was left
out of this port. SGD with momentum."""
import argparse
import json

import torch
import torch.nn as nn

p = argparse.ArgumentParser()
p.add_argument("--seq-len", type=int, default=30)
p.add_argument("--lr", type=float, default=0.003)
p.add_argument("--steps", type=int, default=400)
p.add_argument("--control", action="store_true", help="clip the gradient norm at 1.0 as in the recipe")
args = p.parse_args()


def adding_batch(n, T, g):
    vals = torch.rand(n, T, generator=g)
    marks = (torch.rand(n, T, generator=g) < 0.3).float()  # "multi-adding": sum every marked value
    return torch.stack([vals, marks], -1), (vals * marks).sum(1) / 3.0


class IRNN(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.rnn = nn.RNN(2, hidden, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()
            self.rnn.weight_ih_l0.normal_(0, 0.001 ** 0.5)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h[:, -1]).squeeze(-1)


torch.manual_seed(0)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(0)
model = IRNN()
opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
xv, yv = adding_batch(1000, args.seq_len, g)
max_gn, last = 0.0, None
for step in range(args.steps):
    x, y = adding_batch(32, args.seq_len, g)
    loss = nn.functional.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0 if args.control else 1e30).item()
    max_gn = max(max_gn, gn if gn == gn else 1e30)
    opt.step()
    if step % 50 == 0 or step == args.steps - 1:
        with torch.no_grad():
            vmse = nn.functional.mse_loss(model(xv), yv).item()
        print(f"step {step:4d} loss {loss.item():.4f} grad_norm {gn:.3e} val_mse {vmse:.4f}")
with torch.no_grad():
    vmse = nn.functional.mse_loss(model(xv), yv).item()
    xt, yt = adding_batch(1000, args.seq_len, g)
    tmse = nn.functional.mse_loss(model(xt), yt).item()
print(f"max pre-clip grad norm {max_gn:.3e}; predicting the mean gives mse {yv.var().item():.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": vmse if vmse == vmse else None, "target_var": round(yv.var().item(), 4),
                                     "train_mse": tmse if tmse == tmse else None, "max_grad_norm": max_gn if max_gn < 1e30 else 1e30}))
