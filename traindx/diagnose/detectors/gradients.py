"""vanishing_gradients and exploding_gradients: gradient scale across depth and over time."""
from __future__ import annotations

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import fmt, orders, relative_grads, robust_start_end, total_grad_norm, weight_layers


def _depth_profile(run: Run) -> tuple[list[str], np.ndarray] | None:
    """Median relative gradient |g|/|w| per weight layer over the sampled steps, input end first."""
    table = run.params
    rel = relative_grads(table)
    if rel is None:
        return None
    cols = weight_layers(run, table)
    if not cols:
        return None
    with np.errstate(all="ignore"):
        prof = np.array([np.nanmedian(np.where(np.isfinite(rel[:, c]), rel[:, c], np.nan))
                         if np.isfinite(rel[:, c]).any() else np.nan for c in cols])
    keep = np.isfinite(prof)
    names, prof = [table.layers[c] for c, k in zip(cols, keep) if k], prof[keep]
    # The output layer sits right at the loss and has few rows, so its relative gradient is
    # naturally large; comparing against it flags healthy shallow nets. Depth is judged without it.
    return names[:-1], prof[:-1]


def _peak_relative_grad(run: Run) -> float:
    """The largest finite |g|/|w| of any weight layer at any sampled step (NaN without layers)."""
    if run.params is None:
        return float("nan")
    rel = relative_grads(run.params)
    cols = weight_layers(run, run.params)
    if rel is None or not cols:
        return float("nan")
    sub = rel[:, cols]
    sub = sub[np.isfinite(sub)]
    return float(sub.max()) if len(sub) else float("nan")


def _ends(profile: np.ndarray) -> tuple[float, float]:
    """Median of the input-side quarter and of the output-side quarter of the layers."""
    k = max(1, len(profile) // 4)
    return float(np.median(profile[:k])), float(np.median(profile[-k:]))


@detector("vanishing_gradients", needs=("params",))
def vanishing_gradients(run: Run, p: dict) -> list[Finding]:
    """What it detects: the relative gradient |g|/|w| of the input-side layers is `orders` orders of
    magnitude below that of the output-side layers, or some layers get no gradient at all.
    Why it matters: the early layers stop learning; the network trains like a shallow one."""
    prof = _depth_profile(run)
    if prof is None or len(prof[1]) < p["min_layers"]:
        return []
    names, values = prof
    head, tail = _ends(values)
    zero = [n for n, v in zip(names, values) if v < p["zero_grad"]]
    gap = orders(head, tail) if head > 0 else float("inf")
    evidence = {"relative_grad_input_side": head, "relative_grad_output_side": tail,
                "orders_of_magnitude": gap,
                "per_layer_relative_grad": {n: float(v) for n, v in zip(names, values)}}
    steps = [int(run.params.steps[0]), int(run.params.steps[-1])]
    if zero and len(zero) < len(names):
        evidence["layers_without_gradient"] = zero
        return [Finding("vanishing_gradients", Severity.ERROR,
                        summary=f"{len(zero)} of {len(names)} layers get no gradient at all "
                                f"(|g|/|w| < {p['zero_grad']:g}), starting with {zero[0]}",
                        evidence=evidence, params=p, layers=zero, steps=steps)]
    if not (gap >= p["orders"]):
        return []
    k = max(1, len(values) // 4)
    weak = [n for n, v in zip(names, values) if v <= head * 10 ** (gap / 2)] or names[:k]
    severity = Severity.ERROR if gap >= p["error_orders"] else Severity.WARNING
    return [Finding("vanishing_gradients", severity,
                    summary=f"gradients shrink {10 ** gap:.3g}x ({gap:.1f} orders of magnitude) from "
                            f"the output layers to the input layers: |g|/|w| {fmt(tail)} at "
                            f"{names[-1]} vs {fmt(head)} at {names[0]}",
                    evidence=evidence, params=p, layers=weak[:8], steps=steps)]


@detector("exploding_gradients", needs=("params|grad_norm|grad_norm_preclip",))
def exploding_gradients(run: Run, p: dict) -> list[Finding]:
    """What it detects: the global gradient norm grows `growth_orders` orders of magnitude above its
    early level, spikes `spike_orders` above its median (also at initialisation), or becomes
    non-finite after growing or after a gradient `spike_rel` times its weights; or the relative gradient grows
    `depth_orders` orders toward the input layers. Why it matters: updates become huge, the loss
    jumps or turns NaN."""
    findings = []
    total = total_grad_norm(run)
    if total is not None and len(total) >= 4:
        fin = total.finite()
        fin = fin if len(fin) else total
        early, _ = robust_start_end(fin, frac=0.1, min_points=2)
        peak_i = int(np.argmax(fin.values)) if len(fin) else 0
        peak = float(fin.values[peak_i]) if len(fin) else float("nan")
        growth = orders(early, peak)
        went_non_finite = bool((~np.isfinite(total.values)).any())
        evidence = {"early_grad_norm": early, "peak_grad_norm": peak,
                    "peak_step": int(fin.steps[peak_i]) if len(fin) else None,
                    "growth_orders": growth, "grad_norm_became_non_finite": went_non_finite,
                    "source": "grad_norm_preclip" if run.has("grad_norm_preclip") else
                              ("grad_norm" if run.has("grad_norm") else "per-layer gradients")}
        peak_rel = _peak_relative_grad(run)
        evidence["peak_relative_grad"] = peak_rel
        # became non-finite after growing, or after a gradient far larger than the weights it
        # updates (|g|/|w| >= spike_rel: one SGD step at any usual lr throws the weights away)
        spiked = went_non_finite and (growth >= p["growth_orders"] / 2 or peak_rel >= p["spike_rel"])
        # a spike: one step's gradient orders of magnitude above the run's typical (median) one,
        # also at initialisation, where "growth from the early level" cannot see it
        spike = orders(float(np.median(fin.values)), peak) if len(fin) >= 4 else float("nan")
        evidence["peak_over_median_orders"] = spike
        if growth >= p["growth_orders"] or spiked or spike >= p["spike_orders"]:
            severity = Severity.ERROR if went_non_finite or growth >= p["growth_orders"] + 1 \
                else Severity.WARNING
            tail = " and then became non-finite" if went_non_finite else ""
            if growth >= p["growth_orders"] / 2:
                what = (f"gradient norm grew {10 ** growth:.3g}x from {fmt(early)} to {fmt(peak)} "
                        f"at step {evidence['peak_step']}{tail}")
            elif spiked:
                what = (f"gradients reached {fmt(peak_rel)}x the norm of the weights they update "
                        f"(peak {fmt(peak)} at step {evidence['peak_step']}) and then became non-finite")
            else:
                what = (f"gradient norm spiked to {fmt(peak)} at step {evidence['peak_step']}, "
                        f"{10 ** spike:.3g}x its median {fmt(float(np.median(fin.values)))}{tail}")
            findings.append(Finding(
                "exploding_gradients", severity,
                summary=what,
                evidence=evidence, params=p, steps=[int(fin.steps[0]), evidence["peak_step"]]))
    if run.has("params") and not findings:
        prof = _depth_profile(run)
        if prof is not None and len(prof[1]) >= p["min_layers"]:
            names, values = prof
            head, tail = _ends(values)
            gap = orders(tail, head)
            if gap >= p["depth_orders"]:
                findings.append(Finding(
                    "exploding_gradients", Severity.WARNING,
                    summary=f"gradients grow {10 ** gap:.3g}x from the output layers to the input "
                            f"layers: |g|/|w| {fmt(head)} at {names[0]} vs {fmt(tail)} at {names[-1]}",
                    evidence={"relative_grad_input_side": head, "relative_grad_output_side": tail,
                              "orders_of_magnitude": gap},
                    params=p, layers=names[:max(1, len(names) // 4)],
                    steps=[int(run.params.steps[0]), int(run.params.steps[-1])]))
    return findings
