"""Small builders of synthetic Runs for detector unit tests."""
from __future__ import annotations

import numpy as np

from traindx.runs.model import LayerTable, Run, Series


def run_with(**series) -> Run:
    """run_with(train_loss=[...], eval_loss=(steps, values), ...)."""
    run = Run(path="synthetic", source_format="test")
    for key, val in series.items():
        if isinstance(val, tuple):
            steps, values = val
        else:
            values = val
            steps = np.arange(1, len(values) + 1)
        run.scalars[key] = Series.build(steps, values)
    return run


def param_table(grad_norms: np.ndarray, weight_norms: np.ndarray | None = None, names=None) -> LayerTable:
    """Per-layer table from a (steps x layers) matrix of gradient norms."""
    g = np.asarray(grad_norms, dtype=float)
    w = np.ones_like(g) if weight_norms is None else np.asarray(weight_norms, dtype=float)
    names = names or [f"l{i}.weight" for i in range(g.shape[1])]
    return LayerTable(steps=np.arange(1, g.shape[0] + 1), layers=list(names),
                      stats={"grad_norm": g, "weight_norm": w,
                             "grad_nonfinite": np.zeros_like(g)})
