"""non_finite: NaN/Inf in the loss, gradients, weights or activations, with the first step and layer."""
from __future__ import annotations

import numpy as np

from ...runs.model import LayerTable, Run
from ..finding import Finding, Severity
from ..registry import detector


def _first_bad_scalar(run: Run, key: str) -> int | None:
    """The step of the first NaN/Inf of a loss, leaving out a log's leading placeholders: values
    before the first finite one of a series finite ever after (a row written before the first
    train loss existed, `0,nan,1.197` for an evaluation before training: fresh14). A NaN of the
    training does not leave every later value finite."""
    s = run.series(key)
    if s is None:
        return None
    bad = ~np.isfinite(s.values)
    if bad.any() and not bad.all():
        first_ok = int((~bad).argmax())
        if not bad[first_ok:].any() and len(bad) - first_ok >= 3:
            return None
    return int(s.steps[bad.argmax()]) if bad.any() else None


def _first_bad_layer(table: LayerTable | None, stat: str) -> tuple[int, list[str]] | None:
    """(first step, layers in order) where `stat` (a non-finite count) is above zero."""
    if table is None or table.get(stat) is None:
        return None
    counts = table.get(stat)
    rows = np.where(np.nan_to_num(counts, nan=0.0) > 0)[0]
    if not len(rows):
        return None
    row = rows[0]
    cols = np.where(counts[row] > 0)[0]
    return int(table.steps[row]), [table.layers[c] for c in cols]


@detector("non_finite", needs=("train_loss|params|activations",))
def non_finite(run: Run, p: dict) -> list[Finding]:
    """What it detects: the first NaN or Inf in the train/eval loss, a gradient, a weight or an
    activation (a loss that is NaN only at its start and finite on its 3 or more later points is a
    log's placeholder, not a NaN of the training). Why it matters: once a NaN appears every later update is garbage."""
    evidence: dict = {}
    firsts: list[int] = []
    layers: list[str] = []
    # losses of every rank: "train_loss", and "rank1/train_loss" in a multi-process run
    keys = [k for k in run.scalars if k.rpartition("/")[2] in ("train_loss", "eval_loss")]
    for key in sorted(keys, key=lambda k: ("/" in k, k)):
        step = _first_bad_scalar(run, key)
        if step is not None:
            evidence[f"first_non_finite_{key.replace('/', '_')}_step"] = step
            firsts.append(step)
    grads = _first_bad_layer(run.params, "grad_nonfinite")
    if grads:
        evidence["first_non_finite_grad_step"], evidence["non_finite_grad_layers"] = grads[0], grads[1][:10]
        firsts.append(grads[0])
    if run.params is not None and run.params.get("weight_norm") is not None:
        w = run.params.get("weight_norm")
        bad = np.isinf(w)  # NaN cells may only mean "not measured"; NaN weights show in activations
        rows = np.where(bad.any(axis=1))[0]
        if len(rows):
            evidence["first_non_finite_weight_step"] = int(run.params.steps[rows[0]])
            firsts.append(int(run.params.steps[rows[0]]))
    acts = _first_bad_layer(run.activations, "nonfinite")
    if acts:
        # the first module, in forward order, whose output was non-finite is where it started
        evidence["first_non_finite_activation_step"] = acts[0]
        evidence["first_non_finite_activation_layer"] = acts[1][0]
        layers.append(acts[1][0])
        firsts.append(acts[0])
    if grads and not layers:
        layers = grads[1][:5]
    if not firsts:
        return []
    first = min(firsts)
    where = f" (first in layer {layers[0]})" if layers else ""
    sources = sorted({k.split("first_non_finite_")[1].rsplit("_step", 1)[0]
                      for k in evidence if k.endswith("_step")})
    evidence["first_step"] = first
    return [Finding(
        "non_finite", Severity.ERROR,
        summary=f"non-finite values (NaN/Inf) from step {first}{where} in: {', '.join(sources)}",
        evidence=evidence, params=p, layers=layers, steps=[first, run.steps or first])]
