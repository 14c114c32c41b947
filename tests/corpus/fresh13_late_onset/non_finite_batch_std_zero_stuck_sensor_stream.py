# expect: non_finite
# allow: non_convergence
# forbid: *
# evidence: stuck sensor from step 451 (batch std = 0); val_mse 0.131 at step 450 (target var 1.86) -> first NaN loss at step 451, NaN weights, val_mse NaN to the end; control (std clamped at 1e-6) passes the stuck stretch and ends val_mse 0.117
# control: --control
"""Online regression on a sensor stream (batches arrive in time order, no shuffling).
Each batch's features are standardised with that batch's own mean/std. From step 450
one sensor is stuck at a constant value for a while, its batch std is exactly 0,
0/0 = NaN enters the forward pass and the NaN gradient wipes out the weights.
Control: the same code with the std clamped away from zero (std.clamp_min(1e-6))."""
import sys, json, math, random
import numpy as np
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
torch.manual_seed(3); np.random.seed(3); random.seed(3)
torch.set_num_threads(1)

D, BS, STEPS, STUCK_AT, STUCK_LEN = 8, 32, 600, 450, 40
rng = np.random.default_rng(3)
SCALES = rng.uniform(0.5, 3.0, size=D)
OFFSETS = rng.normal(size=D) * 2

def make(nrows):
    Z = rng.normal(size=(nrows, D))
    X = Z * SCALES + OFFSETS                      # raw sensor units
    y = np.tanh(Z[:, :4]).sum(1) + 0.5 * Z[:, 4] * Z[:, 5] + 0.1 * rng.normal(size=nrows)
    return X, y

Xs, ys = make(BS * STEPS)
Xs[STUCK_AT * BS:(STUCK_AT + STUCK_LEN) * BS, 2] = 1.37          # sensor 2 stuck
Xva, yva = make(1000)
Xs = torch.tensor(Xs, dtype=torch.float32); ys = torch.tensor(ys, dtype=torch.float32)
Xva = torch.tensor(Xva, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)

def batch_norm_feats(x):
    std = x.std(0)
    if CONTROL:
        std = std.clamp_min(1e-6)
    return (x - x.mean(0)) / std

model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
mse = nn.MSELoss()

def evaluate():
    model.eval()
    with torch.no_grad():
        out = []
        for i in range(0, len(Xva), 100):
            out.append(model(batch_norm_feats(Xva[i:i + 100])).squeeze(1))
        return mse(torch.cat(out), yva).item()

first_nan = None
for step in range(1, STEPS + 1):
    model.train()
    xb = Xs[(step - 1) * BS: step * BS]; yb = ys[(step - 1) * BS: step * BS]
    loss = mse(model(batch_norm_feats(xb)).squeeze(1), yb)
    opt.zero_grad(); loss.backward(); opt.step()
    if first_nan is None and not math.isfinite(loss.item()):
        first_nan = step; print(f"first non-finite loss at step {step}")
    if step % 50 == 0:
        vm = evaluate()
        print(f"step {step} train_mse {loss.item():.4f} val_mse {vm:.4f}")
vm = evaluate()
print("CORPUS_METRIC " + json.dumps({"val_mse": vm if math.isfinite(vm) else None, "target_var": round(yva.var().item(), 4),
                                     "train_mse_last": loss.item() if math.isfinite(loss.item()) else None, "first_nan_step": first_nan}))
