"""The capacity probe: what error the training data allows, measured as the course estimates the
Bayes error, by a better model. A small MLP (two hidden layers of 64 ReLUs) is fit to three
quarters of the training rows the recorder kept (record/sample.py) and scored on the quarter it
did not see: a model whose own error stays well above that has avoidable bias, whatever its
architecture. Deterministic (seeded inside a forked RNG: the caller's random state is untouched)
and small: at most a few thousand rows, full-batch steps on the CPU."""
from __future__ import annotations

import contextlib

import numpy as np
import torch
import torch.nn.functional as F

from ..record.recorder import active

MIN_ROWS = 256  # fewer: the held-out quarter is too small to measure an error rate on
HIDDEN = 64
STEPS = 500
LR = 1e-2
HELD_OUT = 0.25


def probe_error(sample: dict) -> dict | None:
    """{"error", "train_error", "rows", "held_out"}: the probe's error on held-out rows (the share
    misclassified; for a regression the MSE over the targets' variance), or None when the sample
    holds too few distinct rows."""
    x, y = np.asarray(sample["x"], np.float32), np.asarray(sample["y"])
    ok = np.isfinite(x).all(axis=1) & np.isfinite(y.astype(np.float64)).all(axis=1)
    kind, classes = sample["kind"], int(sample["classes"])
    if kind == "classification":  # (an ignore_index target, -100, is no class)
        ok &= (y[:, 0] >= 0) & (y[:, 0] < classes)
    x, y = x[ok], y[ok]
    # each row once: a small data set seen over several epochs (or LBFGS's one full batch) comes
    # back in later sampled steps, and a held-out row the probe also fit would measure memory
    _, first = np.unique(x, axis=0, return_index=True)
    keep = np.sort(first)
    x, y = x[keep], y[keep]
    if len(x) < MIN_ROWS:
        return None
    order = np.random.default_rng(0).permutation(len(x))
    cut = int(len(x) * (1 - HELD_OUT))
    fit, held = order[:cut], order[cut:]
    mean, std = x[fit].mean(axis=0), x[fit].std(axis=0)
    x = (x - mean) / np.where(std > 1e-6, std, 1.0)
    if kind == "regression":  # standardised targets: an MSE of 1 is predicting the mean
        y = y.astype(np.float32)
        y = (y - y[fit].mean(axis=0)) / np.where(y[fit].std(axis=0) > 1e-12, y[fit].std(axis=0), 1.0)
    threads = torch.get_num_threads()  # (small matrices: one thread is fastest, and leaves the
    torch.set_num_threads(1)            # cores to a training that diagnoses itself in-process)
    recorder = active()
    try:  # (a recording still running in this process must not take the probe's steps for its own)
        with recorder.paused() if recorder is not None else contextlib.nullcontext():
            return _fit(x, y, fit, held, kind, classes)
    finally:
        torch.set_num_threads(threads)


def probe_params(sample: dict) -> int:
    """The probe's size for this sample: a model this big or bigger can represent what it fits."""
    out = int(sample["classes"]) if sample["kind"] == "classification" else np.asarray(sample["y"]).shape[1]
    features = np.asarray(sample["x"]).shape[1]
    return (features + 1) * HIDDEN + (HIDDEN + 1) * HIDDEN + (HIDDEN + 1) * out


def _fit(x: np.ndarray, y: np.ndarray, fit: np.ndarray, held: np.ndarray, kind: str, classes: int) -> dict:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], HIDDEN), torch.nn.ReLU(),
                                  torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.ReLU(),
                                  torch.nn.Linear(HIDDEN, classes if kind == "classification" else y.shape[1]))
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        opt = torch.optim.Adam(net.parameters(), lr=LR)
        for _ in range(STEPS):
            loss = _loss(net(xt[fit]), yt[fit], kind)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = net(xt)
    return {"error": _error(out[held], yt[held], kind), "train_error": _error(out[fit], yt[fit], kind),
            "rows": int(len(x)), "held_out": int(len(held))}


def _loss(out: torch.Tensor, y: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "classification":
        return F.cross_entropy(out, y[:, 0].long())
    if kind == "binary":
        return F.binary_cross_entropy_with_logits(out, (y > 0.5).float())
    return F.mse_loss(out, y)


def _error(out: torch.Tensor, y: torch.Tensor, kind: str) -> float:
    if kind == "classification":
        return float((out.argmax(dim=1) != y[:, 0].long()).float().mean())
    if kind == "binary":
        return float(((out > 0) != (y > 0.5)).float().mean())
    return float(F.mse_loss(out, y))
