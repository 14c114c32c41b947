# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence, non_finite
# forbid: *
# evidence: planted (no clipping): raw grad norm spikes 200-1300 every 100 steps, train mse stays 0.10-0.41, final val_mse 0.0375 (len 110: 0.125), target var 0.376; control (clip_grad_norm_ 1.0): val_mse 0.0010 (len 110: 0.0044)
# control: --control
"""IRNN (ReLU RNN, identity-initialised recurrence, Le et al. 2015) that learns to keep a running
balance of +1/-1 events in a stream.  Batches are bucketed by length (10..120 steps).  The paper
trains with gradient clipping; this script "simplified" the loop and dropped the clip_grad_norm_
call.  On the long buckets the backward pass through ~100 ReLU steps with a near-identity recurrence
produces gradient norms of several hundred, each such step throws the weights off, and the loss never
settles.  --control puts the clipping (max-norm 1.0) back; nothing else changes."""
import json
import math
import sys

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)

CLIP_NORM = 1.0 if "--control" in sys.argv else None
HIDDEN = 64
LR = 1e-4
STEPS = 1000
MAX_LEN = 120


def make_batch(n, length, gen):
    events = torch.randint(-1, 2, (n, length), generator=gen).float()
    balance = events.sum(1) / 10.0
    return events.unsqueeze(-1), balance


class BalanceRNN(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, nonlinearity="relu", batch_first=True)
        self.head = nn.Linear(hidden, 1)
        with torch.no_grad():  # IRNN init
            self.rnn.weight_hh_l0.copy_(torch.eye(hidden))
            self.rnn.bias_hh_l0.zero_()
            self.rnn.bias_ih_l0.zero_()

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1]).squeeze(-1)


gen = torch.Generator().manual_seed(1)
x_val, y_val = make_batch(1000, 60, gen)
x_val2, y_val2 = make_batch(500, 110, gen)

model = BalanceRNN(HIDDEN)
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)


def evaluate():
    model.eval()
    with torch.no_grad():
        a = ((model(x_val) - y_val) ** 2).mean().item()
        b = ((model(x_val2) - y_val2) ** 2).mean().item()
    model.train()
    return a, b


running = 0.0
max_gnorm = 0.0
recent = []
for step in range(1, STEPS + 1):
    length = int(torch.randint(10, MAX_LEN, (1,), generator=gen))
    x, y = make_batch(32, length, gen)
    pred = model(x)
    loss = ((pred - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    with torch.no_grad():  # probe only: total gradient norm before any clipping
        gnorm = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
    max_gnorm = max(max_gnorm, gnorm)
    if CLIP_NORM is not None:
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)
    opt.step()
    running += loss.item()
    recent.append(loss.item())
    if step % 100 == 0:
        v60, v110 = evaluate()
        print(f"step {step:5d} | train mse {running / 100:.4f} | val mse (len60) {v60:.4f} | (len110) {v110:.4f} | max |g| {max_gnorm:.1f}")
        running = 0.0
        max_gnorm = 0.0

v60, v110 = evaluate()
tr_loss = sum(recent[-100:]) / 100  # mean training loss over the last 100 steps
print("CORPUS_METRIC " + json.dumps({
    "val_mse": round(v60, 5), "val_mse_len110": round(v110, 5), "train_loss": round(tr_loss, 5),
    "target_var": round(y_val.var().item(), 4)}))
