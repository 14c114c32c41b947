"""The Run: what was observed during one training, whatever recorded it.

Every reader (traindx's own run directory, Lightning, Keras, TensorBoard, ...) produces a Run, and
every detector reads only a Run. Series are numpy arrays; missing values are NaN.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Series:
    """One scalar signal over training steps (train_loss, eval_loss, lr, grad_norm, ...)."""

    steps: np.ndarray  # int64, ascending
    values: np.ndarray  # float64, NaN where unknown

    def __len__(self) -> int:
        return len(self.steps)

    def finite(self) -> "Series":
        """The points whose value is finite."""
        ok = np.isfinite(self.values)
        return Series(self.steps[ok], self.values[ok])

    @staticmethod
    def build(steps, values) -> "Series":
        """Sorted by step; points whose step is not a finite integer-sized number are dropped."""
        s = np.asarray(steps, dtype=np.float64)
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(s) & (np.abs(s) < 2.0 ** 62)
        s, v = s[ok].astype(np.int64), v[ok]
        order = np.argsort(s, kind="stable")
        return Series(s[order], v[order])


@dataclass
class LayerTable:
    """Per-layer statistics at sampled steps: stats[name] is a (steps x layers) matrix.

    For parameters the layers are parameter tensors ("fc1.weight"); for activations they are
    leaf modules ("fc1"), in the order they ran in the forward pass.
    """

    steps: np.ndarray  # (S,)
    layers: list[str]  # (L,)
    stats: dict[str, np.ndarray]  # name -> (S, L) float64, NaN where not measured
    kinds: dict[str, str] = field(default_factory=dict)  # layer -> module type ("Linear", "ReLU")

    def get(self, stat: str) -> np.ndarray | None:
        return self.stats.get(stat)

    def __len__(self) -> int:
        return len(self.steps)


@dataclass
class Run:
    """Everything a detector may use. Fields that a log does not hold stay empty."""

    path: str
    source_format: str  # "traindx", "lightning", "keras", "tensorboard", ...
    scalars: dict[str, Series] = field(default_factory=dict)
    params: LayerTable | None = None  # per parameter tensor: grad_norm, weight_norm, update_ratio...
    activations: LayerTable | None = None  # per leaf module output: mean, std, zero_frac...
    meta: dict[str, Any] = field(default_factory=dict)  # model structure, optimiser, argv, ...
    labels: dict[str, Any] = field(default_factory=dict)  # class counts, per-class correct
    ended: str = "unknown"  # completed | exited | exception | interrupted | abrupt | unknown
    last_step: int | None = None
    notes: list[str] = field(default_factory=list)  # what a reader could not read, and why
    context: dict[str, float] = field(default_factory=dict)  # bayes_error, test_error, ...
    # Per-tensor statistics of a saved model's weights, by tensor name (`traindx inspect`; see
    # traindx/runs/weights.py for the keys). None for runs recorded or read from logs.
    weights: dict[str, dict] | None = None
    # training rows the recorder kept for the capacity probe: {"x": (n, features) float32, "y": (n, k),
    # "kind": classification | binary | regression, "classes": int} (record/sample.py); else None
    sample: dict[str, Any] | None = None

    def series(self, name: str) -> Series | None:
        s = self.scalars.get(name)
        return s if s is not None and len(s) else None

    def has(self, name: str) -> bool:
        if name in ("params", "activations"):
            table = getattr(self, name)
            return table is not None and len(table) > 0
        if name == "labels":  # class counts from training, evaluation, or a log's own "counts"
            return any(self.labels.get(k) for k in ("train_counts", "eval_counts", "counts"))
        if name == "class_recall":  # a log's per-class recall (`eval_recall_1`) or balanced accuracy
            return any(re.fullmatch(r"(train|eval)_(recall(_\d+)?|bacc)", k) for k in self.scalars)
        return self.series(name) is not None

    @property
    def unit(self) -> str:
        """What a point on the x-axis is: "epochs" for an epoch-level log, else "steps"."""
        return "epochs" if self.meta.get("x_axis") == "epoch" else "steps"

    @property
    def steps(self) -> int:
        """The number of optimiser steps seen (or the last step logged)."""
        if self.last_step is not None:
            return int(self.last_step)
        ends = [int(s.steps[-1]) for s in self.scalars.values() if len(s)]
        return max(ends, default=0)
