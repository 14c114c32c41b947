"""The task every framework script trains on: 4 classes, linearly separable."""
import argparse

import torch


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--callback", default=None, help="run directory for traindx's callback (off: none)")
    p.add_argument("--logs", default="logs", help="where the framework writes its own log")
    p.add_argument("--interrupt-at", type=int, default=0, help="raise KeyboardInterrupt (a Ctrl-C) at this step")
    return p.parse_args()


def data(n=4000, n_val=500, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 20, generator=g)
    y = (x @ torch.randn(20, 4, generator=g)).argmax(1)
    return x[n_val:], y[n_val:], x[:n_val], y[:n_val]


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                               torch.nn.ReLU(), torch.nn.Linear(64, 4))
