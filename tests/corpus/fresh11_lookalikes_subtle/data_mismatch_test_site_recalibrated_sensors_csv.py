"""Fault classification from 12 sensor channels. Training and validation rows are a
random split of plant A's data; the test set comes from plant B, whose sensors were
re-calibrated (three channels have a different gain/offset) - the kind of shift
nobody notices until the test numbers come in. Train and val agree; test is much
worse. --control draws the test set from plant A like train/val (nothing else changes).
"""
# expect: data_mismatch
# allow:
# forbid: *
# evidence: control train_err 0.046 / val_err 0.050 / test_err 0.057 (test_loss 0.14); planted train_err 0.046 / val_err 0.050 / test_err 0.193 (test_loss 0.85; majority-class error 0.45): test - val = 0.14 (almost 4x the val error) while val - train = 0.004
# control: --control
# native-log: plant_run/metrics.csv
# log-expect: data_mismatch
# log-allow:
import argparse
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

N_FEAT = 12


def plant_data(n, rng, W, recalibrated=False):
    z = rng.normal(size=(n, 6))
    X = z @ W + 0.3 * rng.normal(size=(n, N_FEAT))
    score0 = z[:, 0] + 0.5 * z[:, 1] * z[:, 2]
    score1 = z[:, 3] - 0.7 * np.abs(z[:, 4])
    y = np.where(score0 > 0.6, 1, np.where(score1 > 0.3, 2, 0))
    if recalibrated:
        X[:, 0] = 2.0 * X[:, 0] + 2.0
        X[:, 3] = 0.4 * X[:, 3] - 1.5
        X[:, 7] = X[:, 7] + 2.5
    return X.astype(np.float32), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    random.seed(26)
    np.random.seed(26)
    torch.manual_seed(26)
    rng = np.random.default_rng(26)
    W = rng.normal(size=(6, N_FEAT))
    X, y = plant_data(5000, rng, W)
    Xte, yte = plant_data(1500, rng, W, recalibrated=not args.control)
    Xtr, ytr, Xva, yva = X[:4000], y[:4000], X[4000:], y[4000:]
    mu, sd = Xtr.mean(0), Xtr.std(0)
    T = lambda a: torch.tensor((a - mu) / sd, dtype=torch.float32)
    Xtr, Xva, Xte = T(Xtr), T(Xva), T(Xte)
    ytr, yva, yte = torch.tensor(ytr), torch.tensor(yva), torch.tensor(yte)
    print("class shares (train):", np.bincount(ytr.numpy(), minlength=3) / len(ytr))

    model = nn.Sequential(nn.Linear(N_FEAT, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 3))
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    log_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "plant_run")
    os.makedirs(log_dir, exist_ok=True)
    fh = open(os.path.join(log_dir, "metrics.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc"])

    def ev(Xs, ys):
        with torch.no_grad():
            o = model(Xs)
            return F.cross_entropy(o, ys).item(), (o.argmax(1) == ys).float().mean().item()

    for ep in range(16):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        (tl, ta), (vl, va), (sl, sa) = ev(Xtr, ytr), ev(Xva, yva), ev(Xte, yte)
        wr.writerow([ep, f"{tl:.5f}", f"{ta:.4f}", f"{vl:.5f}", f"{va:.4f}", f"{sl:.5f}", f"{sa:.4f}"])
        if ep % 4 == 3:
            print(f"epoch {ep} train_err {1 - ta:.4f} val_err {1 - va:.4f} test_err {1 - sa:.4f} "
                  f"(losses {tl:.3f} / {vl:.3f} / {sl:.3f})")
    fh.close()
    print("CORPUS_METRIC " + json.dumps({"train_err": round(1 - ta, 4), "val_err": round(1 - va, 4), "test_err": round(1 - sa, 4),
                                        "train_loss": round(tl, 4), "val_loss": round(vl, 4), "test_loss": round(sl, 4),
                                        "val_acc": round(va, 4), "test_acc": round(sa, 4)}))


if __name__ == "__main__":
    main()
