"""poor_initialization: at the start, the signal's scale collapses or explodes with depth, or a
weight matrix is constant (all units identical: the symmetry is never broken)."""
from __future__ import annotations

import math
import warnings
from collections import Counter

import numpy as np

from ...record.kinds import COMPUTE, HARD_ZERO, RELU_LIKE, SATURATING
from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import (class_prior, fmt, has_attention, input_stat, like_groups, measured_rows,
                       module_block, module_of, module_types, orders, train_losses, weight_layers,
                       zero_saddle)


def advice(run: Run) -> str:
    """The initialisation that fits the model's hidden activation."""
    kinds = Counter(m.get("type", "") for m in run.meta.get("model", []) or [])
    relu = sum(n for k, n in kinds.items() if k in RELU_LIKE)
    bounded = sum(n for k, n in kinds.items() if k in SATURATING)
    if relu >= bounded and relu:
        return "He (kaiming_normal_) initialisation for its ReLU-family activations"
    if bounded:
        return "Xavier (xavier_uniform_) initialisation for its tanh/sigmoid activations"
    return "He initialisation for ReLU or Xavier for tanh/sigmoid"


def _constant_weights(run: Run, p: dict) -> tuple[list[str], int] | None:
    t = run.params
    if t is None or t.get("weight_std") is None or t.get("weight_norm") is None:
        return None
    first = int(t.steps[0])
    if first > 1:
        return None  # the weights as initialised were not measured (the first update came earlier)
    w, sd = t.get("weight_norm")[0], t.get("weight_std")[0]
    shapes = run.meta.get("param_shapes", {})
    types = module_types(run)
    bad = []
    # the output layer of the model, or of a block (a coupling network's scale/shift, a residual
    # branch, an adapter's up-projection), may start at zero, a common and harmless choice: the
    # layers before it break the symmetry. Judged: the layers that feed another layer of their block.
    layers = weight_layers(run, t)
    last_of_block = {}
    for c in layers:
        last_of_block[module_block(t.layers[c])] = c
    for c in layers[:-1]:
        if last_of_block.get(module_block(t.layers[c])) == c:
            continue
        shape = shapes.get(t.layers[c])
        n = math.prod(shape) if shape else 0  # 0: size unknown
        if not (np.isfinite(w[c]) and np.isfinite(sd[c])) or (n and n < 2):
            continue
        # a [1, n] or [n, 1] tensor is a row or column: a bias or batch-norm gain that code with
        # raw tensors keeps 2-D (makemore's bngain = ones((1, n))), or the weights of one unit
        if shape and 1 in shape:
            continue
        # a table held by a container module (a positional embedding started at zero, as GPTs
        # do) is added, not multiplied: every position gets its own gradient, no symmetry to break
        if types and module_of(t.layers[c], types) not in types:
            continue
        rms = w[c] / math.sqrt(n) if n else w[c]
        if w[c] == 0 or sd[c] <= p["constant_rel_std"] * rms:
            bad.append(t.layers[c])
    return (bad, first) if bad else None


def _depth_scale(run: Run, p: dict) -> dict | None:
    """Activation std of the compute layers at the first sampled steps, input end first."""
    t = run.activations
    if t is None or t.get("std") is None:
        return None
    cols = [i for i, n in enumerate(t.layers) if t.kinds.get(n, "") in COMPUTE]
    if len(cols) < p["min_layers"]:
        return None
    rows = measured_rows(t, "std", cols)
    # the model as initialised: the forward passes before the first optimiser step (recorded at
    # step 1). Later steps are after an update, which a far too high lr has already wrecked.
    rows = rows[t.steps[rows] <= 1]
    if not len(rows):
        return None
    with warnings.catch_warnings():  # a layer not measured before the first step stays NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        std = np.nanmedian(t.get("std")[rows][:, cols], axis=0)
    if not np.isfinite(std).all() or len(std) < p["min_layers"]:
        return None
    if _dead_layer(std) or _dead_at_init(t, rows, p["dead_frac"]):
        return None  # ReLUs dead from the start (a bias): dead_units' finding, not a weight scale
    # the last hidden layer: the logits have their own scale. With attention, like with like (the
    # same layer of the first and the last block): a block's output projection adds to a residual
    # stream and is small by design next to its input projection
    a, b = 0, len(cols) - 2
    if has_attention(run):
        names = [t.layers[c] for c in cols[:-1]]
        spans = [(g[0], g[-1]) for g in like_groups(names, 2, blocks_only=True)]
        if not spans:
            return None
        a, b = max(spans, key=lambda ab: abs(_orders(std[ab[0]], std[ab[1]])))
    first, last = float(std[a]), float(std[b])
    change = _orders(first, last)
    return {"first_layer": t.layers[cols[a]], "last_hidden_layer": t.layers[cols[b]],
            "first_layer_std": first, "last_hidden_layer_std": last, "depth_orders": change,
            "per_layer_std": {t.layers[c]: float(s) for c, s in zip(cols, std)},
            "steps": [int(t.steps[rows[0]]), int(t.steps[rows[-1]])]}


def _dead_at_init(t, rows: np.ndarray, frac: float) -> bool:
    """A ReLU layer with `frac` of its units dead in the forward before the first update: a
    negative bias, not the weights' scale (too small or too large weights leave about half of a
    ReLU layer's units firing for some input); the signal after it collapses because it is cut."""
    dead = t.get("dead_frac")
    cols = [i for i, n in enumerate(t.layers) if t.kinds.get(n, "") in HARD_ZERO]
    if dead is None or not cols:
        return False
    with np.errstate(all="ignore"):
        first = dead[rows][:, cols]
    return bool(np.nanmax(first, initial=0.0) >= frac) if np.isfinite(first).any() else False


def _dead_layer(std: np.ndarray) -> bool:
    """A layer whose output does not vary at all, right after one whose output does: its input is
    all zeros (every unit before it is dead, e.g. pushed below zero by a bias). Weights of a bad
    scale shrink the signal by a factor per layer; they never zero it in one step."""
    zero = np.flatnonzero(std == 0)
    return bool(len(zero)) and zero[0] > 0 and std[zero[0] - 1] > 1e-6 * std[0]


def _confident_at_init(run: Run, p: dict) -> list[Finding]:
    """A classifier whose loss before any update is `init_loss_factor` times ln(C) or more: a model
    as initialised should be uncommitted (loss about ln C, the course's first sanity check); one far
    above it starts with large, confidently wrong logits. Not judged on raw inputs (their scale,
    not the weights', makes the logits large: unnormalized_inputs says so) nor when the first
    recorded loss is not the step-1 loss."""
    tr = run.series("train_loss")
    prior = class_prior(run)
    if tr is None or not len(tr) or int(tr.steps[0]) > 1 or run.source_format != "traindx":
        return []
    if (prior is None or len(prior) < 2) and {loss.get("kind") for loss in train_losses(run)} != {"regression"}:
        return []
    kinds = {loss.get("kind") for loss in train_losses(run)}
    std = input_stat(run, "std")
    if std is not None and std > p["max_input_std"]:
        return []
    if kinds == {"regression"}:
        return _wild_at_init(run, tr, p)
    if kinds != {"classification"} and kinds != {"binary"}:
        return []
    classes = 2 if kinds == {"binary"} else len(prior)
    uncommitted = math.log(classes)
    first = float(tr.values[0])
    if not (math.isfinite(first) and first >= p["init_loss_factor"] * uncommitted):
        return []
    return _loss_at_init(tr, p, f"the loss before any update is {fmt(first)}, {first / uncommitted:.1f}x "
                                f"ln({classes}) = {fmt(uncommitted)}, what an uncommitted model starts "
                                f"at: the initial weights make large, confidently wrong predictions; "
                                f"initialise smaller (std 0.02 or {advice(run)}, and a small or zero "
                                f"output layer)", {"initial_loss": first, "uncommitted_loss": uncommitted})


def _loss_at_init(tr, p: dict, summary: str, evidence: dict) -> list[Finding]:
    return [Finding("poor_initialization", Severity.ERROR, summary=summary,
                    evidence={**evidence, "criterion": "loss_at_init"}, params=p,
                    steps=[int(tr.steps[0])] * 2)]


def _wild_at_init(run: Run, tr, p: dict) -> list[Finding]:
    """A regression whose MSE before any update is `init_mse_factor` times the mean squared target
    or more: a model as initialised predicts near 0, so its error starts near the targets' own
    square; far above, the initial weights make outputs of a wild scale."""
    sq = run.series("target_sq")
    fin = sq.finite() if sq is not None else None
    if fin is None or not len(fin) or int(fin.steps[0]) > 1 or not fin.values[0] > 0:
        return []
    first, zero_cost = float(tr.values[0]), float(fin.values[0])
    if not (math.isfinite(first) and first >= p["init_mse_factor"] * zero_cost):
        return []
    return _loss_at_init(tr, p, f"the squared error before any update is {fmt(first)}, "
                                f"{first / zero_cost:.3g}x the mean squared target {fmt(zero_cost)} (what "
                                f"predicting 0 costs, where a model as initialised starts): the initial "
                                f"weights make outputs of a wild scale; initialise smaller ({advice(run)}; "
                                f"embeddings at std 0.01-0.1)",
                         {"initial_loss": first, "zero_prediction_loss": zero_cost})


def _orders(first: float, last: float) -> float:
    return orders(first, last) if first > 0 and last > 0 else (-math.inf if last == 0 else math.nan)


@detector("poor_initialization", needs=("params|activations",))
def poor_initialization(run: Run, p: dict) -> list[Finding]:
    """What it detects: in the forward pass before the first optimiser step, the std of the compute layers'
    outputs changes `depth_orders` orders of magnitude from the first to the last hidden layer;
    or a weight matrix (no dimension of 1) is constant (std/rms < `constant_rel_std`, e.g. all
    zeros); or matrices or tables that start at zero get an exactly zero gradient at every
    measured step (a zero saddle); or a classifier's
    loss before any update is `init_loss_factor` x ln(C) or more, or a regression's MSE
    `init_mse_factor` x the mean squared target or more (inputs at most `max_input_std`).
    Why it matters: a collapsing signal gives vanishing gradients, an exploding one saturates or
    overflows; identical units all learn the same thing."""
    fix = advice(run)
    const = _constant_weights(run, p)
    if const:
        layers, step = const
        return [Finding("poor_initialization", Severity.ERROR,
                        summary=f"{len(layers)} weight matrices start constant ({', '.join(layers[:3])}): "
                                f"every unit of a layer computes the same thing and symmetry is never "
                                f"broken; use {fix}",
                        evidence={"constant_weight_layers": layers, "step": step}, params=p,
                        layers=layers, steps=[step, step])]
    saddle = zero_saddle(run)
    if saddle:
        return [Finding("poor_initialization", Severity.ERROR,
                        summary=f"{', '.join(saddle[:3])}{' ...' if len(saddle) > 3 else ''} start at "
                                f"zero and their gradient is exactly zero at every measured step: each "
                                f"one's gradient passes through another zero factor, so they never move; "
                                f"initialise them randomly (e.g. normal with std 0.01-0.1)",
                        evidence={"zero_stuck_params": saddle}, params=p, layers=saddle,
                        steps=[int(run.params.steps[0]), int(run.params.steps[-1])])]
    scale = _depth_scale(run, p)
    if not scale or not abs(scale["depth_orders"]) >= p["depth_orders"]:
        return _confident_at_init(run, p)
    change = scale["depth_orders"]
    verb = "collapses" if change < 0 else "explodes"
    severity = Severity.ERROR if abs(change) >= p["depth_orders"] + 1 else Severity.WARNING
    return [Finding("poor_initialization", severity,
                    summary=f"at the start the activation scale {verb} with depth: std "
                            f"{fmt(scale['first_layer_std'])} at {scale['first_layer']} -> "
                            f"{fmt(scale['last_hidden_layer_std'])} at {scale['last_hidden_layer']} "
                            f"({abs(change):.1f} orders of magnitude); use {fix}",
                    evidence={**scale, "advice": fix}, params=p,
                    layers=[scale["first_layer"], scale["last_hidden_layer"]], steps=scale["steps"])]
