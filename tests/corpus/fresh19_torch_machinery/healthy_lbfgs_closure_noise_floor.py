# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0900 = noise variance 0.09 (target variance 1.04), train_mse 0.0875; mse vs the noiseless function 0.0013; val flat at its best for the last 8 outer steps
"""Full-batch L-BFGS (strong Wolfe line search) fitting a small tanh network
to a noisy 1-D-ish synthetic regression. The loss flattens at the noise
variance (0.09), which is the best any model can do."""
import json
import math
import torch
from torch import nn

torch.manual_seed(0)
torch.set_num_threads(1)

NOISE_STD = 0.3
gen = torch.Generator().manual_seed(1)


def sample(n):
    x = torch.rand(n, 3, generator=gen) * 4 - 2
    f = torch.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] ** 2 - 0.3 * x[:, 2]
    return x, (f + NOISE_STD * torch.randn(n, generator=gen)).unsqueeze(1), f.unsqueeze(1)


x_train, y_train, _ = sample(4000)
x_val, y_val, f_val = sample(500)

net = nn.Sequential(nn.Linear(3, 40), nn.Tanh(), nn.Linear(40, 40), nn.Tanh(), nn.Linear(40, 1))
optimizer = torch.optim.LBFGS(net.parameters(), lr=1.0, max_iter=20, history_size=20,
                              line_search_fn="strong_wolfe")
mse = nn.MSELoss()


def closure():
    optimizer.zero_grad()
    loss = mse(net(x_train), y_train)
    loss.backward()
    return loss


for it in range(15):
    train_loss = optimizer.step(closure).item()
    with torch.no_grad():
        val_loss = mse(net(x_val), y_val).item()
    print(f"outer {it:2d}  train_mse {train_loss:.5f}  val_mse {val_loss:.5f}")

with torch.no_grad():
    train_loss = mse(net(x_train), y_train).item()
    err_to_truth = mse(net(x_val), f_val).item()
print(f"noise floor {NOISE_STD ** 2:.4f}; mse vs noiseless target {err_to_truth:.5f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_loss, 5), "train_mse": round(train_loss, 5),
                                     "target_var": round(y_val.var().item(), 4),
                                     "noise_var": NOISE_STD ** 2}))
