"""learning_rate_too_high and learning_rate_too_low: how far each step moves the weights
(update/weight ratio |dw|/|w|, about 1e-3 in a healthy run) together with what the loss does."""
from __future__ import annotations

import math

import numpy as np

from ...runs.model import Run, Series
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import block_medians, peak_update_ratio, fmt, relative_drop, robust_start_end, update_ratios


def _roughness(s: Series) -> float:
    """Median |step-to-step change| over the median level, in the late half: how much the loss
    jumps relative to where it is (mini-batch noise near convergence stays well below 0.5)."""
    late = s.values[len(s.values) // 2:]
    if len(late) < 4:
        return math.nan
    level = float(np.median(np.abs(late)))
    return float(np.median(np.abs(np.diff(late)))) / level if level > 0 else math.nan


def _rebound(s: Series) -> float:
    """End level over the best level of the loss smoothed by a running median (10% of the points):
    how much worse it got again after its best (1.0 = ends at its best)."""
    v = block_medians(s.values)
    w = max(3, len(v) // 10)
    if len(v) < 2 * w:
        return math.nan
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(v, w), axis=1)
    best = float(smooth.min())
    return float(smooth[-1]) / best if best > 0 else math.nan


def _loss_shape(run: Run) -> dict | None:
    tr = run.series("train_loss")
    if tr is None:
        return None
    fin = tr.finite()
    bad = ~np.isfinite(tr.values)
    shape = {"points": len(fin), "went_non_finite": bool(bad.any()),
             "first_non_finite_step": int(tr.steps[bad.argmax()]) if bad.any() else None}
    if len(fin) >= 4:
        start, end = robust_start_end(fin)
        shape.update(start_loss=start, end_loss=end, relative_drop=relative_drop(fin),
                     end_over_start=end / start if start > 0 else math.nan,
                     roughness=_roughness(fin), rebound=_rebound(fin))
    return shape


@detector("learning_rate_too_high", needs=("train_loss",))
def learning_rate_too_high(run: Run, p: dict) -> list[Finding]:
    """What it detects: the weights move more than `high_ratio` of their norm per step (median
    over layers and sampled steps; ~1e-3 is healthy) while the loss diverges (ends
    `diverge_factor`x its start, or turns NaN), ends `rebound`x above its best smoothed level, or
    does not fall (`min_drop`). Without per-layer statistics, a loss that turns non-finite or grows is enough.
    Why it matters: each step overshoots the minimum; the loss bounces or blows up."""
    shape = _loss_shape(run)
    if shape is None or shape["points"] < p["min_points"] and not shape["went_non_finite"]:
        return []
    ratios = update_ratios(run)
    ratio = float(np.median(list(ratios.values()))) if ratios else math.nan
    diverged = shape["went_non_finite"] or shape.get("end_over_start", 0) >= p["diverge_factor"]
    rebounded = shape.get("rebound", math.nan) >= p["rebound"]
    stalled = not (shape.get("relative_drop", math.nan) >= p["min_drop"])
    peak, peak_step = peak_update_ratio(run)
    evidence = {"update_ratio_median": ratio, "update_ratio_peak": peak, "update_ratio_peak_step": peak_step,
                "per_layer_update_ratio": ratios, **shape}
    # typical steps too large and the loss bad; or some steps too large (a warm-up or schedule
    # that peaks too high) and the loss got worse again afterwards
    typical = ratio >= p["high_ratio"] and (diverged or rebounded or stalled)
    peaked = peak >= p["high_ratio"] and (diverged or rebounded)
    if ratios:
        if not (typical or peaked):
            return []

    elif not diverged:
        return []  # no update ratios: only a diverging loss speaks for the learning rate
    what = ("the train loss turned non-finite at step "
            f"{shape['first_non_finite_step']}" if shape["went_non_finite"] else
            f"the train loss went from {fmt(shape.get('start_loss'))} to {fmt(shape.get('end_loss'))}"
            if diverged else
            f"the train loss ended {shape['rebound']:.1f}x above its best level" if rebounded else
            f"the train loss fell only {shape.get('relative_drop', math.nan):.0%}")
    if not ratios:
        size = "the loss diverges"
    elif typical:
        size = (f"each step moves the weights by {fmt(ratio)} of their norm (~1e-3 is healthy, "
                f"{math.log10(ratio / 1e-3):.1f} orders above)")
    else:
        size = (f"at step {peak_step} the steps moved the weights by {fmt(peak)} of their norm "
                f"(~1e-3 is healthy, {math.log10(peak / 1e-3):.1f} orders above)")
    lr = run.series("lr")
    if lr is not None and len(lr.finite()):
        evidence["lr"] = float(lr.finite().values[0])
    tr = run.series("train_loss")
    return [Finding("learning_rate_too_high", Severity.ERROR if diverged else Severity.WARNING,
                    summary=f"learning rate too high: {size}; {what}",
                    evidence=evidence, params=p, layers=sorted(ratios, key=ratios.get)[-3:][::-1],
                    steps=[int(tr.steps[0]), int(tr.steps[-1])])]


@detector("learning_rate_too_low", needs=("train_loss", "params"))
def learning_rate_too_low(run: Run, p: dict) -> list[Finding]:
    """What it detects: even the fastest-moving weight layer moves less than `low_ratio` of its
    norm per step (median over sampled steps; ~1e-3 is healthy) and the train loss fell less than
    `slow_drop` over the run. Why it matters: training crawls; it would need orders of magnitude
    more steps."""
    tr = run.series("train_loss").finite()
    if len(tr) < p["min_points"]:
        return []
    ratios = update_ratios(run, p["zero_grad"])
    if not ratios:
        return []
    fastest = max(ratios, key=ratios.get)
    top = ratios[fastest]
    drop = relative_drop(tr)
    evidence = {"max_layer_update_ratio": top, "fastest_layer": fastest,
                "update_ratio_median": float(np.median(list(ratios.values()))),
                "relative_drop": drop, "per_layer_update_ratio": ratios}
    if not (top <= p["low_ratio"] and drop < p["slow_drop"]):
        return []
    lr = run.series("lr")
    if lr is not None and len(lr.finite()):
        evidence["lr"] = float(lr.finite().values[0])
    return [Finding("learning_rate_too_low", Severity.WARNING,
                    summary=f"learning rate too low: the fastest-moving layer ({fastest}) changes by only "
                            f"{fmt(top)} of its norm per step ({math.log10(1e-3 / top):.1f} orders below "
                            f"~1e-3) and the train loss fell {drop:.0%} over {int(tr.steps[-1])} steps",
                    evidence=evidence, params=p, layers=list(ratios)[:3],
                    steps=[int(tr.steps[0]), int(tr.steps[-1])])]
