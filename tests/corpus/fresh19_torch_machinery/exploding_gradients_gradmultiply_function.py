# expect: exploding_gradients, non_finite
# allow: learning_rate_too_high, non_convergence, high_bias, dead_units
# forbid: *
# evidence: planted (GradMultiply backward x1000 on encoder) batch loss climbs 0.47 -> 2.7 within 20 steps, then loss/weights go NaN before the end of epoch 0, val_mse nan; control (scale 1.0) val_mse 0.036 vs target variance 0.90
# control: --control
"""Regression MLP with a fairseq-style GradMultiply autograd.Function between
the encoder and the head (identity forward, scaled gradient backward)."""
import argparse
import json
import math
import torch
import torch.nn as nn

cli = argparse.ArgumentParser()
cli.add_argument("--control", action="store_true")
cli = cli.parse_args()
torch.manual_seed(42)
torch.set_num_threads(1)


class GradMultiply(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.new(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


ENC_GRAD_SCALE = 1.0 if cli.control else 1e3


class Regressor(nn.Module):
    def __init__(self, d_in=12, width=64):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d_in, width), nn.ReLU(), nn.Linear(width, width), nn.ReLU())
        self.head = nn.Sequential(nn.Linear(width, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x):
        z = self.encoder(x)
        z = GradMultiply.apply(z, ENC_GRAD_SCALE)
        return self.head(z).squeeze(-1)


g = torch.Generator().manual_seed(0)
N = 4000
X = torch.randn(N, 12, generator=g)
w = torch.randn(12, generator=g) / math.sqrt(12)
y = torch.sin(2 * X @ w) + 0.5 * X[:, 0] * X[:, 1] + 0.1 * torch.randn(N, generator=g)
Xtr, ytr, Xva, yva = X[:3200], y[:3200], X[3200:], y[3200:]
target_var = yva.var().item()

model = Regressor()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
mse = nn.MSELoss()

for epoch in range(20):
    model.train()
    order = torch.randperm(len(Xtr), generator=g)
    tot = 0.0
    for i in range(0, len(order), 50):
        b = order[i:i + 50]
        pred = model(Xtr[b])
        loss = mse(pred, ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        val_mse = mse(model(Xva), yva).item()
    print(f"epoch {epoch:2d}  train_mse {tot / len(Xtr):.4f}  val_mse {val_mse:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": val_mse if math.isfinite(val_mse) else str(val_mse),
                                     "train_mse": tot / len(Xtr) if math.isfinite(tot) else str(tot),
                                     "target_var": round(target_var, 4)}))
