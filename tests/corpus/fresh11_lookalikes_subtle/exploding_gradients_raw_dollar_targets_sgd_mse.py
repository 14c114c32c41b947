"""House-price regression with standardised features but RAW dollar targets
(~1e5-6e5) under MSE, with an SGD lr (0.01, momentum 0.9) that was tuned on
standardised targets. The first MSE gradients are ~1e5-1e6 times larger than the
tuning run's: within three steps the first-layer gradient norm goes from ~1e5 to
~1e17, the weights are thrown to ~1e15, the loss explodes to ~1e24 and afterwards
no gradient reaches the first layer at all; the net never recovers. --control standardises the target for training
(predictions are mapped back to dollars for the metric); nothing else changes.
"""
# expect: exploding_gradients
# allow: learning_rate_too_high, non_convergence, dead_units
# forbid: *
# evidence: control val R^2 0.972 (val RMSE $27.5k vs target std $165k), first-layer grad norm ~0.2; planted: loss 1.8e11 at step 0 -> 9.8e23 at step 2, first-layer grad norm 7.6e4 (step 0) -> 9.4e16 (step 1) then exactly 0, |W1| 4.6 -> 9e14; afterwards 100% of layer-2 ReLUs never fire, train loss stuck at 2.8e10 and val RMSE 1.4e33 (printed)
# control: --control
import argparse
import json
import math
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_houses(n, rng):
    sqft = rng.normal(1800, 500, n).clip(500, 4500)
    rooms = rng.integers(1, 7, n)
    age = rng.uniform(0, 80, n)
    dist = rng.exponential(8, n)
    lot = rng.lognormal(8.5, 0.4, n)
    school = rng.uniform(1, 10, n)
    price = (60000 + 140 * sqft + 9000 * rooms - 900 * age - 4000 * np.sqrt(dist) * 3 + 2.0 * lot
             + 8000 * school + 25 * sqft * (school - 5) + rng.normal(0, 25000, n))
    X = np.stack([sqft, rooms, age, dist, lot, school], 1)
    return X.astype(np.float32), price.astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(22)
    np.random.seed(22)
    torch.manual_seed(22)
    rng = np.random.default_rng(22)
    Xtr, ytr = make_houses(3000, rng)
    Xva, yva = make_houses(1000, rng)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
    y_mu, y_sd = (float(ytr.mean()), float(ytr.std())) if args.control else (0.0, 1.0)
    Xtr, Xva = torch.tensor(Xtr), torch.tensor(Xva)
    ytr_t = torch.tensor((ytr - y_mu) / y_sd)

    model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    step = 0
    for ep in range(20):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr_t[idx])
            opt.zero_grad()
            loss.backward()
            g = model[0].weight.grad.norm().item()
            if step < 6:
                print(f"step {step} loss {loss.item():.3e} first_layer_grad_norm {g:.3e} "
                      f"|W1| {model[0].weight.norm().item():.3e}")
            opt.step()
            tot += loss.item() * len(idx)
            step += 1
        model.eval()
        with torch.no_grad():
            pred = model(Xva).squeeze(1).double().numpy() * y_sd + y_mu
        rmse = float(np.sqrt(np.mean((pred - yva.astype(np.float64)) ** 2)))
        if ep % 5 == 4:
            print(f"epoch {ep} train_loss(training units) {tot / len(Xtr):.4g} val_rmse ${rmse:.4g}")
    with torch.no_grad():
        h = F.relu(model[0](Xtr))
        dead = (h.max(0).values <= 0).float().mean().item()
        h2 = F.relu(model[2](h))
        dead2 = (h2.max(0).values <= 0).float().mean().item()
    print(f"ReLU units that never fire on the training set: layer1 {dead:.2f} layer2 {dead2:.2f}")
    var = float(yva.astype(np.float64).var())
    mse = float(np.mean((pred - yva.astype(np.float64)) ** 2))
    finite = math.isfinite(mse)
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(mse, 1) if finite else None,
                                        "val_r2": round(1 - mse / var, 4) if finite else None,
                                        "target_var": round(var, 1), "val_rmse": round(rmse, 1) if finite else None,
                                        "predictions_finite": bool(np.isfinite(pred).all()), "dead_fraction_l1": round(dead, 3), "dead_fraction_l2": round(dead2, 3)}))


if __name__ == "__main__":
    main()
