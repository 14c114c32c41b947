# expect: unnormalized_inputs
# allow: learning_rate_too_high, non_convergence, high_bias, dead_units, exploding_gradients
# forbid: *
# evidence: control (columns standardised) val_mse 0.071 (target var 1.05); planted (raw $ columns, std up to 2e4) train_mse 3.5e5 in epoch 1, still oscillating 32-67 at epoch 15, val_mse 43 (40x worse than predicting the mean)
# control: --control
"""Customer-value regression from 6 raw tabular columns (annual income in $, account balance in $,
age in years, tenure in months, number of products, credit utilisation 0..1), MLP + Adam(lr=1e-3).
The target (next-year spend) is standardised.

Planted bug: the feature matrix goes into the network exactly as loaded: income ~6e4, balance
up to ~1e5 next to a 0..1 ratio. `--control` standardises each column with the train mean/std;
nothing else changes.
"""
import argparse
import json

import torch
import torch.nn as nn


def load_customers(n, g):
    income = 60000 + 20000 * torch.randn(n, generator=g)
    balance = torch.exp(9 + 1.0 * torch.randn(n, generator=g))
    age = 20 + 60 * torch.rand(n, generator=g)
    tenure = torch.randint(1, 240, (n,), generator=g).float()
    products = torch.randint(1, 6, (n,), generator=g).float()
    util = torch.rand(n, generator=g)
    x = torch.stack([income, balance, age, tenure, products, util], 1)
    z = ((income - 60000) / 20000) + 0.8 * torch.log(balance / 8100) + 0.6 * torch.sin((age - 50) / 10) \
        + 0.5 * (products - 3) * (util - 0.5) * 2 + 0.3 * tenure / 120 + 0.3 * torch.randn(n, generator=g)
    return x, z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="standardise the feature columns")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(9)
    xtr, ytr = load_customers(5000, g)
    xva, yva = load_customers(1000, g)
    ym, ys = ytr.mean(), ytr.std()
    ytr, yva = (ytr - ym) / ys, (yva - ym) / ys
    if args.control:
        m, s = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - m) / s, (xva - m) / s
    print("per-column mean:", [f"{v:.3g}" for v in xtr.mean(0).tolist()])
    print("per-column std: ", [f"{v:.3g}" for v in xtr.std(0).tolist()])

    net = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    lossf = nn.MSELoss()
    for epoch in range(15):
        perm = torch.randperm(len(xtr))
        acc = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            loss = lossf(net(xtr[idx]).squeeze(1), ytr[idx])
            loss.backward()
            opt.step()
            acc += loss.item() * len(idx)
        with torch.no_grad():
            vm = lossf(net(xva).squeeze(1), yva).item()
        print(f"epoch {epoch+1:2d} train_mse {acc/len(xtr):.4f} val_mse {vm:.4f}")
    with torch.no_grad():
        tm = lossf(net(xtr).squeeze(1), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4),
                                         "target_var": round(yva.var().item(), 4)}))


if __name__ == "__main__":
    main()
