"""Hourly demand forecasting from calendar one-hots (day-of-week, hour) plus the raw
Unix timestamp in seconds (~1.7e9) as a trend feature, concatenated into one input
vector. The one-hot columns are 0/1 while the timestamp column is nine orders of
magnitude larger, so the first layer's pre-activations are dominated by it.
--control standardises the timestamp column with training-set statistics (nothing
else changes).
"""
# expect: unnormalized_inputs
# allow: non_convergence, high_bias, learning_rate_too_high, exploding_gradients
# forbid: *
# evidence: control val R^2 0.946 (val_mse 0.057 vs target variance 1.06), train_mse 0.049; planted val R^2 -9.2 (val_mse 10.8) and train_mse erratic 16 -> 32 -> 10.7 after the same 25 epochs; input column scales: one-hots mean 0.04-0.14 / std <= 0.35, timestamp mean 1.72e9 std 9.1e6 (printed)
# control: --control
import argparse
import json
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_demand(rng, start, hours):
    ts = start + 3600 * np.arange(hours)
    hour = (ts // 3600) % 24
    dow = (ts // 86400 + 3) % 7  # 1970-01-01 was a Thursday
    trend = (ts - start) / (3600 * 24 * 365)
    daily = np.sin(2 * np.pi * (hour - 7) / 24) + 0.6 * np.sin(4 * np.pi * (hour - 7) / 24)
    weekend = (dow >= 5).astype(float)
    y = 2.0 * trend + 1.2 * daily * (1 - 0.6 * weekend) - 0.8 * weekend + rng.normal(0, 0.25, hours)
    X = np.concatenate([np.eye(7)[dow], np.eye(24)[hour], ts[:, None].astype(np.float64)], 1)
    return X, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(23)
    np.random.seed(23)
    torch.manual_seed(23)
    rng = np.random.default_rng(23)
    X, y = make_demand(rng, start=1_700_000_000 - 1_700_000_000 % 86400, hours=24 * 365)
    idx = rng.permutation(len(X))
    tr, va = idx[:7000], idx[7000:]
    y = (y - y[tr].mean()) / y[tr].std()
    if args.control:
        m, s = X[tr, -1].mean(), X[tr, -1].std()
        X[:, -1] = (X[:, -1] - m) / s
    Xt = torch.tensor(X, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    Xtr, ytr, Xva, yva = Xt[tr], yt[tr], Xt[va], yt[va]
    print("column means: one-hots %.2f-%.2f, timestamp %.3g; stds: one-hots <= %.2f, timestamp %.3g" % (
        Xtr[:, :31].mean(0).min(), Xtr[:, :31].mean(0).max(), Xtr[:, -1].mean(), Xtr[:, :31].std(0).max(),
        Xtr[:, -1].std()))

    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for ep in range(25):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), 64):
            b = perm[i:i + 64]
            loss = F.mse_loss(model(Xtr[b]).squeeze(1), ytr[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            vmse = F.mse_loss(model(Xva).squeeze(1), yva).item()
        if ep % 5 == 4:
            print(f"epoch {ep} train_mse {tot / len(Xtr):.4g} val_mse {vmse:.4g}")
    var = yva.var().item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 4), "target_var": round(var, 4),
                                        "val_r2": round(1 - vmse / var, 4), "train_mse": round(tot / len(Xtr), 4)}))


if __name__ == "__main__":
    main()
