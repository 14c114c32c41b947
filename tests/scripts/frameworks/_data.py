"""The task every framework script trains on: 4 classes, linearly separable."""
import argparse

import torch


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--callback", default=None, help="run directory for traindx's callback (off: none)")
    p.add_argument("--logs", default="logs", help="where the framework writes its own log")
    p.add_argument("--interrupt-at", type=int, default=0, help="raise KeyboardInterrupt (a Ctrl-C) at this step")
    p.add_argument("--test-shift", type=float, default=None,
                   help="after training, evaluate a test split: fresh inputs drawn like the others, "
                        "plus this shift on every feature (0: the same distribution)")
    return p.parse_args()


def data(n=4000, n_val=500, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 20, generator=g)
    y = (x @ torch.randn(20, 4, generator=g)).argmax(1)
    return x[n_val:], y[n_val:], x[:n_val], y[:n_val]


def test_split(shift: float, n=500, seed=0):
    """Inputs from the same distribution and labelled by the same teacher as data(), moved by
    `shift`: the test data a deployment brings (test error - val error is data mismatch)."""
    g = torch.Generator().manual_seed(seed)
    torch.randn(4000, 20, generator=g)  # data()'s inputs, to get to the same teacher
    teacher = torch.randn(20, 4, generator=g)
    x = torch.randn(n, 20, generator=torch.Generator().manual_seed(seed + 1))
    return x + shift, (x @ teacher).argmax(1)


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                               torch.nn.ReLU(), torch.nn.Linear(64, 4))
