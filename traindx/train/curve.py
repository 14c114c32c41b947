"""Learning curves (`traindx learning-curve`): train and validation error against the training-set
size, and the course's bias-vs-variance verdict from the Bayes-gap analysis at the largest size
plus how the gap behaves as the data grows."""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import data as datamod

FRACTIONS = (0.1, 0.2, 0.4, 0.7, 1.0)


@dataclass
class Point:
    fraction: float
    n_train: int
    train_error: float
    val_error: float
    train_std: float = 0.0
    val_std: float = 0.0
    problems: list[str] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"fraction": self.fraction, "n_train": self.n_train, "train_error": self.train_error,
                "val_error": self.val_error, "train_error_std": self.train_std,
                "val_error_std": self.val_std, "problems": self.problems, "runs": self.runs}


def _errors(metrics: dict, task: str) -> tuple[float, float]:
    if task == "classification":
        return 1.0 - metrics.get("train_acc", math.nan), 1.0 - metrics.get("val_acc", math.nan)
    return metrics.get("train_loss", math.nan), metrics.get("val_loss", math.nan)


def compute(cfg: dict, out: Path, fractions=FRACTIONS, *, folds: int = 0, epochs: int | None = None,
            jobs: int = 1, on_done: Callable[[], None] | None = None) -> tuple[list[Point], str]:
    """Train at each fraction of data.n_train (with `folds` > 1: k-fold, mean and std per point).
    The validation set is the same at every size (k-fold: each fold's). Returns (points, task)."""
    from .remedies import run_pool
    n_full = cfg["data"]["n_train"]
    sizes = [max(2, int(round(f * n_full))) for f in fractions]
    jobs_args, where = [], []
    if folds > 1:
        raw = datamod.make(cfg).subset(n_full)
        task = raw.task
        for k, fold in enumerate(datamod.folds(raw, folds, cfg["seed"]), 1):
            for f in fractions:
                n_k = max(2, int(round(f * len(fold.x_train))))
                jobs_args.append((cfg, {}, out / f"n{n_k}-fold{k}", epochs, None, {}, fold.subset(n_k)))
                where.append(f)
    else:
        task = "regression" if cfg["data"]["dataset"] == "regression" else None
        for f, n in zip(fractions, sizes):
            jobs_args.append((cfg, {"data.n_train": n}, out / f"n{n}", epochs, None, {}))
            where.append(f)
    results = run_pool(jobs_args, jobs, lambda i, r: on_done() if on_done else None)
    points = []
    for f in fractions:
        rs = [(a, r) for a, r, w in zip(jobs_args, results, where) if w == f]
        ok = [r for _, r in rs if r["metrics"]]
        if not ok:
            failure = next((r["failure"] for _, r in rs if r["failure"]), "failed")
            from ..errors import InputError
            raise InputError("learning-curve", f"training at fraction {f} failed: {failure}")
        t = task or ok[0]["metrics"].get("task", "classification")
        errs = [_errors(r["metrics"], t) for r in ok]
        tr, va = [e[0] for e in errs], [e[1] for e in errs]
        points.append(Point(f, int(ok[0]["metrics"]["n_train"]), statistics.mean(tr), statistics.mean(va),
                            statistics.pstdev(tr) if len(tr) > 1 else 0.0,
                            statistics.pstdev(va) if len(va) > 1 else 0.0,
                            sorted({p for r in ok for p in r["problems"]}),
                            [str(a[2]) for a, _ in rs]))
        task = t
    return points, task


@dataclass
class Verdict:
    problem: str | None  # high_bias | high_variance | None
    summary: str
    gap: dict


def conclude(points: list[Point], bayes_error: float | None, task: str, *, min_gap: float = 0.02) -> Verdict:
    """The course's reading of a learning curve: both curves converging high above the Bayes error
    → avoidable bias; a gap between them that closes only slowly as data grows → variance."""
    last, first = points[-1], points[0]
    if task != "classification":
        bias = last.train_error - (bayes_error or 0.0)
        var = last.val_error - last.train_error
        problem = None
        if max(bias, var) >= min_gap * max(last.val_error, 1e-12):
            problem = "high_bias" if bias > var else "high_variance"
        gap = {"avoidable_bias": bias, "variance": var, "bayes_error": bayes_error}
    else:
        try:
            from ..diagnose.bayes import analyse_gap
            g = analyse_gap(min(max(last.train_error, 0.0), 1.0), min(max(last.val_error, 0.0), 1.0),
                            bayes_error, min_gap=min_gap)
            problem, gap = g.dominant, g.to_dict()
        except ImportError:  # pragma: no cover - the Bayes module ships with traindx
            bias = last.train_error - (bayes_error or 0.0)
            var = last.val_error - last.train_error
            sig = {k: v for k, v in (("high_bias", bias), ("high_variance", var)) if v >= min_gap}
            problem = max(sig, key=sig.get) if sig else None
            gap = {"avoidable_bias": bias, "variance": var, "bayes_error": bayes_error}
    bias, var = gap["avoidable_bias"], gap["variance"]
    var0 = first.val_error - first.train_error
    closing = var0 - var
    per_doubling = closing / max(math.log2(last.n_train / max(first.n_train, 1)), 1e-9)
    gap["variance_at_smallest"] = var0
    gap["variance_closed_per_doubling"] = per_doubling
    unit = "error" if task == "classification" else "loss"
    fmt = (lambda v: f"{v:.1%}") if task == "classification" else (lambda v: f"{v:.3g}")
    bayes_txt = f"the Bayes error {fmt(bayes_error)}" if bayes_error is not None else "zero (no Bayes error given)"
    nums = (f"n={last.n_train}: train {unit} {fmt(last.train_error)}, val {unit} {fmt(last.val_error)}; "
            f"avoidable bias {fmt(bias)} (train − {'Bayes' if bayes_error is not None else '0'}), "
            f"variance {fmt(var)} (val − train), gap closing {fmt(per_doubling)} per doubling of the data "
            f"(from {fmt(var0)} at n={first.n_train})")
    if problem == "high_bias":
        text = (f"high bias: both curves level off {fmt(bias)} above {bayes_txt}, more than the variance; "
                f"more data will not help — use a bigger model, train longer, or a better optimiser. At {nums}")
    elif problem == "high_variance":
        text = (f"high variance: validation {unit} stays {fmt(var)} above training {unit} and the gap "
                f"closes only slowly as data grows — get more data, regularise (L2, dropout) or augment. At {nums}")
    else:
        text = f"no gap dominates: the model is close to {bayes_txt} and generalises. At {nums}"
    return Verdict(problem, text, gap)
