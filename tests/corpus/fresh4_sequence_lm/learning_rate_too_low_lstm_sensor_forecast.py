# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: control (Adam lr 3e-3) val_mse 0.0072 (target variance 0.627); planted (lr 1e-5) val_mse 0.645 -> 0.619 over 8 epochs, still at the variance, loss creeping down ~0.004/epoch
# control: --control
"""Two-layer LSTM forecasting the next value of a 'vibration sensor' (sum of sines + drift + noise).

LR was taken from the config of a fine-tuning job (1e-5); --control uses 3e-3 as intended for
training from scratch.
"""
import argparse
import json
import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def build_dataset(n_windows, win, seed):
    r = np.random.RandomState(seed)
    X, Y = [], []
    for _ in range(n_windows):
        t = np.arange(win + 1) * 0.1 + r.uniform(0, 100)
        f1, f2 = r.uniform(0.5, 1.5), r.uniform(2.0, 4.0)
        s = np.sin(f1 * t) + 0.5 * np.sin(f2 * t + r.uniform(0, 6.28)) + 0.02 * (t - t[0])
        s = s + 0.05 * r.randn(win + 1)
        X.append(s[:-1])
        Y.append(s[1:])
    X = torch.tensor(np.array(X), dtype=torch.float32).unsqueeze(-1)
    Y = torch.tensor(np.array(Y), dtype=torch.float32).unsqueeze(-1)
    return TensorDataset(X, Y)


class SensorLSTM(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.rnn = nn.LSTM(1, hidden, num_layers=2, batch_first=True)
        self.proj = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.proj(h)


def run_epoch(model, loader, opt=None):
    train = opt is not None
    model.train(train)
    total, n = 0.0, 0
    with torch.set_grad_enabled(train):
        for xb, yb in loader:
            loss = nn.functional.mse_loss(model(xb)[:, 10:], yb[:, 10:])
            if train:
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
            total += loss.item() * len(xb)
            n += len(xb)
    return total / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--epochs", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)

    lr = 3e-3 if a.control else 1e-5
    train_ds, val_ds = build_dataset(1500, 50, 1), build_dataset(300, 50, 2)
    train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
    val_dl = DataLoader(val_ds, batch_size=300)

    model = SensorLSTM()
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    print(f"lr={lr}")
    for ep in range(a.epochs):
        tr = run_epoch(model, train_dl, opt)
        va = run_epoch(model, val_dl)
        print(f"ep {ep + 1}/{a.epochs}  train_mse={tr:.4f}  val_mse={va:.4f}")
    tvar = val_ds.tensors[1][:, 10:].var().item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(va, 5), "train_mse": round(tr, 5),
                                         "target_var": round(tvar, 4), "lr": lr}))


if __name__ == "__main__":
    main()
