# expect:
# allow:
# forbid: *
# evidence: val_mse 0.0057 vs target variance 0.82 (R^2 0.993; noise floor 0.0025)
"""Fitting a smooth surrogate of a damped-oscillator response (5 physical inputs -> peak
amplitude) with a small tanh MLP and full-batch L-BFGS (closure + strong-Wolfe line search),
plus a tiny L2 term. The held-out MSE gets close to the known measurement-noise floor."""
import json
import torch
import torch.nn as nn

torch.manual_seed(23)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)  # L-BFGS is happier in double precision


def response(n, g):
    m = 0.5 + torch.rand(n, generator=g) * 1.5        # mass
    k = 1.0 + torch.rand(n, generator=g) * 4.0        # stiffness
    c = 0.1 + torch.rand(n, generator=g) * 0.6        # damping
    F0 = 0.5 + torch.rand(n, generator=g)             # force amplitude
    w = 0.5 + torch.rand(n, generator=g) * 2.5        # drive frequency
    amp = F0 / torch.sqrt((k - m * w ** 2) ** 2 + (c * w) ** 2)
    y = torch.log(amp) + 0.05 * torch.randn(n, generator=g)
    X = torch.stack([m, k, c, F0, w], 1)
    return X, y


g = torch.Generator().manual_seed(0)
Xtr, ytr = response(1500, g)
Xva, yva = response(1000, g)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd

net = nn.Sequential(nn.Linear(5, 48), nn.Tanh(), nn.Linear(48, 48), nn.Tanh(), nn.Linear(48, 1))
opt = torch.optim.LBFGS(net.parameters(), lr=1.0, max_iter=20, history_size=20, line_search_fn="strong_wolfe")
lam = 1e-5


def closure():
    opt.zero_grad()
    loss = ((net(Xtr).squeeze(1) - ytr) ** 2).mean() + lam * sum((p ** 2).sum() for p in net.parameters())
    loss.backward()
    return loss


for it in range(22):
    loss = opt.step(closure)
    with torch.no_grad():
        tr_mse = ((net(Xtr).squeeze(1) - ytr) ** 2).mean().item()
        va_mse = ((net(Xva).squeeze(1) - yva) ** 2).mean().item()
    print(f"outer {it+1:2d} objective {loss.item():.5f} train_mse {tr_mse:.5f} val_mse {va_mse:.5f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(va_mse, 5), "val_loss": round(va_mse, 5), "train_loss": round(tr_mse, 5),
                                     "target_var": round(yva.var().item(), 5), "noise_var": 0.0025}))
