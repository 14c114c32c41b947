"""Config-dataclass regression script where weight_decay=0.3 - a value from an AdamW
(decoupled) recipe - is passed to torch.optim.Adam, i.e. as a coupled L2 term
(grad += 0.3 * w) that Adam then normalises. The penalty dominates the data gradient,
the function is shrunk towards the mean and the MLP underfits its own training data.
--control sets weight_decay to 1e-4 (nothing else changes).
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control train_mse 0.012 / val_mse 0.020 (R^2 0.98; standardised target, val variance 1.09, noise floor 0.011); planted train_mse 0.361 / val_mse 0.377 (R^2 0.66), flat from epoch 4: train error is 34x the noise floor and train ~= val, i.e. underfitting, not variance; planted first-layer weight norm 0.82 vs 4.67 in control, no dead units (printed)
# control: --control
import argparse
import json
import random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_friedman1


@dataclass
class TrainConfig:
    lr: float = 2e-3
    weight_decay: float = 0.3
    epochs: int = 25
    batch_size: int = 64
    hidden: int = 64
    seed: int = 20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    cfg = TrainConfig(weight_decay=1e-4) if args.control else TrainConfig()
    torch.set_num_threads(1)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)

    X, y = make_friedman1(n_samples=4000, n_features=10, noise=0.5, random_state=cfg.seed)
    X = (X - 0.5) / 0.29
    y_mean, y_std = y[:3000].mean(), y[:3000].std()
    y = (y - y_mean) / y_std
    noise_floor = 0.25 / y_std ** 2
    X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
    Xtr, ytr, Xva, yva = X[:3000], y[:3000], X[3000:], y[3000:]

    model = nn.Sequential(nn.Linear(10, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(),
                          nn.Linear(cfg.hidden, 1))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    for ep in range(cfg.epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        tot = 0.0
        for i in range(0, len(perm), cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            loss = F.mse_loss(model(Xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            tl = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
            vl = F.mse_loss(model(Xva).squeeze(1), yva).item()
        if ep % 5 == 4:
            print(f"epoch {ep} train_mse {tl:.4f} val_mse {vl:.4f} |W1| {model[0].weight.norm():.3f}")
    with torch.no_grad():
        dead = (F.relu(model[0](Xtr)).max(0).values <= 0).float().mean().item()
    var = yva.var().item()
    print(f"noise floor {noise_floor:.4f} target variance {var:.4f} dead first-layer units {dead:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "train_mse": round(tl, 4), "target_var": round(var, 4),
                                        "noise_floor_mse": round(float(noise_floor), 4), "val_r2": round(1 - vl / var, 4)}))


if __name__ == "__main__":
    main()
