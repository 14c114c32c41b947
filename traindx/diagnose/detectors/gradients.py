"""vanishing_gradients and exploding_gradients: gradient scale across depth and over time."""
from __future__ import annotations

import math

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..profile import adaptive_optimizer
from ..registry import detector
from ..signals import (block_medians, chance_level, drop_below_chance, fmt, has_attention, like_groups,
                       orders, relative_grads, robust_start_end, started_small,
                       total_grad_norm, update_ratios, weight_layers)


def _layer_profile(run: Run) -> tuple[list[str], np.ndarray] | None:
    """Median relative gradient |g|/|w| per weight layer over the sampled steps, input end first,
    without the output layer: it sits right at the loss and has few rows, so its relative gradient
    is naturally large; comparing against it flags healthy shallow nets."""
    table = run.params
    rel = relative_grads(table)
    if rel is None:
        return None
    # (a layer initialised at zero, a flow's coupling output, has |g|/|w| as large as its |w| is
    # small: it says nothing of the gradient reaching it)
    small = started_small(run)[0]
    cols = [c for c in weight_layers(run, table) if table.layers[c] not in small]
    if not cols:
        return None
    with np.errstate(all="ignore"):
        prof = np.array([np.nanmedian(np.where(np.isfinite(rel[:, c]), rel[:, c], np.nan))
                         if np.isfinite(rel[:, c]).any() else np.nan for c in cols])
    keep = np.isfinite(prof)
    names, prof = [table.layers[c] for c, k in zip(cols, keep) if k], prof[keep]
    return names[:-1], prof[:-1]


def _depth_gap(run: Run, min_layers: int) -> dict | None:
    """How many orders the relative gradient changes from the output side to the input side
    (positive: smaller at the input), comparing like with like: within each kind of layer that
    repeats with depth (the median over kinds), or over all layers of a model without attention.
    None when depth cannot be judged fairly."""
    prof = _layer_profile(run)
    if prof is None or len(prof[1]) < min_layers:
        return None
    names, values = prof
    groups = like_groups(names, min_layers)
    if not groups:
        if has_attention(run):
            return None  # query/key next to MLP weights: unlike kinds, no fair depth profile
        groups = [list(range(len(names)))]
    gaps = []
    for g in groups:
        head, tail = _ends(values[g])
        gap = orders(head, tail) if head > 0 else float("inf") if tail > 0 else float("nan")
        gaps.append((gap, g, head, tail))
    gaps.sort(key=lambda x: (math.isnan(x[0]), x[0]))  # no gradient at either end: no profile
    gap, g, head, tail = gaps[len(gaps) // 2]  # the median kind
    return {"gap": gap, "names": [names[i] for i in g], "values": values[g], "head": head,
            "tail": tail, "kinds": len(groups), "all_names": names, "all_values": values}


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
    magnitude below that of the output-side layers (`min_layers` weight layers at least), or some
    layers get no gradient at all (beside at least one that gets some, when fewer than `min_layers`).
    Not when the input-side layers' |g|/|w| is `ample_rel` or more: a step of lr 1 would replace
    them (gradients that blew up less near the input, not vanished).
    Why it matters: the early layers stop learning; the network trains like a shallow one."""
    prof = _layer_profile(run)
    if prof is None or len(prof[1]) < 2:
        return []
    # a layer with no gradient at all beside one that has some needs no depth profile (a
    # zero-derivative op, a cut graph: a 2-layer encoder + head shows it as well as a deep net)
    zero = [n for n, v in zip(*prof) if v < p["zero_grad"]]
    if len(prof[1]) < p["min_layers"] and (not zero or len(zero) == len(prof[1])):
        return []
    depth = _depth_gap(run, int(p["min_layers"]))
    if depth is None and not zero:
        return []
    names, values = (depth["names"], depth["values"]) if depth else prof
    head, tail = (depth["head"], depth["tail"]) if depth else _ends(values)
    gap = depth["gap"] if depth else float("nan")
    evidence = {"relative_grad_input_side": head, "relative_grad_output_side": tail,
                "orders_of_magnitude": gap, "compared": (
                    f"{len(names)} layers of the same kind ({depth['kinds']} kinds, median kind shown)"
                    if depth and depth["kinds"] > 1 else "weight layers along depth"),
                "per_layer_relative_grad": {n: float(v) for n, v in zip(*prof)}}
    steps = [int(run.params.steps[0]), int(run.params.steps[-1])]
    if zero:
        evidence["layers_without_gradient"] = zero
        every = len(zero) == len(prof[0])
        return [Finding("vanishing_gradients", Severity.ERROR,
                        summary=(f"none of the {len(zero)} hidden layers gets any gradient (|g|/|w| < "
                                 f"{p['zero_grad']:g}; only the output layer learns): dead ReLUs or a "
                                 f"cut graph upstream" if every else
                                 f"{len(zero)} of {len(prof[0])} layers get no gradient at all "
                                 f"(|g|/|w| < {p['zero_grad']:g}), starting with {zero[0]}"),
                        evidence=evidence, params=p, layers=zero, steps=steps)]
    if not (gap >= p["orders"]) or head >= p["ample_rel"]:
        return []  # (input layers whose |g|/|w| is 1 or more get plenty: an explosion's gradients)
    k = max(1, len(values) // 4)
    weak = [n for n, v in zip(names, values) if v <= head * 10 ** (gap / 2)] or names[:k]
    severity = Severity.ERROR if gap >= p["error_orders"] else Severity.WARNING
    return [Finding("vanishing_gradients", severity,
                    summary=f"gradients shrink {10 ** gap:.3g}x ({gap:.1f} orders of magnitude) from "
                            f"the output layers to the input layers: |g|/|w| {fmt(tail)} at "
                            f"{names[-1]} vs {fmt(head)} at {names[0]}",
                    evidence=evidence, params=p, layers=weak[:8], steps=steps)]


def _early_relative_grads(run: Run, first_steps: int) -> dict[str, float]:
    """Median |g|/|w| per hidden weight layer over the first sampled steps."""
    table = run.params
    rel = relative_grads(table) if table is not None else None
    cols = weight_layers(run, table) if rel is not None else []
    if not cols:
        return {}
    rows = np.where(np.isfinite(rel[:, cols]).any(axis=1))[0][:first_steps]
    out = {}
    with np.errstate(all="ignore"):
        for c in cols[:-1]:  # the output layer's relative gradient is naturally large
            v = rel[rows, c]
            v = v[np.isfinite(v)]
            if len(v):
                out[table.layers[c]] = float(np.median(v))
    return out


def _over_time(run: Run, p: dict) -> Finding | None:
    """The global gradient norm: growth above its early level, a spike, or non-finite."""
    total = total_grad_norm(run)
    if total is None or len(total) < 4:
        return None
    fin = total.finite()
    fin = fin if len(fin) else total
    early, _ = robust_start_end(fin, frac=0.1, min_points=2)
    peak_i = int(np.argmax(fin.values)) if len(fin) else 0
    peak = float(fin.values[peak_i]) if len(fin) else float("nan")
    peak_step = int(fin.steps[peak_i]) if len(fin) else None
    # growth is a sustained level (a running median), not one step: with a norm on every step
    # the single largest of thousands is an outlier, which the spike test judges
    level, level_step = _sustained_peak(fin)
    went_non_finite = bool((~np.isfinite(total.values)).any())
    loss_ratio = _loss_at(run, level_step)
    # an explosion in the first steps hides in the early level above: the norm as initialised
    # (its first three points) against the sustained peak, together with the loss's own jump
    initial = float(np.median(fin.values[:3])) if len(fin) >= 3 else float("nan")
    from_initial = orders(initial, level)
    # growth is above where the norm started too: a norm that collapsed within the first tenth
    # (a convex model at its optimum) and wanders in float noise below it has not grown
    # (fresh10: 0.25 at step 1, 7.6e-9 over the first tenth, 1.6e-6 later: "2.3 orders")
    growth = orders(max(early, initial) if np.isfinite(initial) else early, level)
    loss_jump = _loss_jump(run)
    # a spike is judged against the typical level, never against a late phase alone where
    # gradients shrink as the loss reaches zero: the larger of the median and the early level; a
    # spike at the very start (an initialisation spike) against the level the run settles to
    median = float(np.median(fin.values))
    k = max(2, len(fin) // 10)
    after = fin.values[peak_i + 1: peak_i + 1 + max(3, k)]
    if peak_i < k and len(after):
        baseline = float(np.median(after))
    else:
        baseline = max(median, early) if np.isfinite(early) else median
    spike = orders(baseline, peak) if len(fin) >= 4 else float("nan")
    if peak_i < k and not _loss_fell_after(run, peak_step, p["init_spike_loss_drop"]):
        # a norm that collapses at once while the loss stays where it was is a stationary point
        # (a convex model at its optimum, units that died), not the settling of a badly scaled
        # start, whose loss falls with its gradients (fresh10: a logistic regression on the
        # flower data, 0.25 at step 1 and 7e-9 after, its loss flat at ln 2, read as a spike)
        spike = float("nan")
    peak_rel = _peak_relative_grad(run)
    evidence = {"early_grad_norm": early, "median_grad_norm": median, "peak_grad_norm": peak,
                "peak_step": peak_step, "sustained_peak_grad_norm": level, "sustained_peak_step": level_step,
                "growth_orders": growth, "loss_at_growth_over_start": loss_ratio, "spike_orders": spike,
                "peak_relative_grad": peak_rel, "grad_norm_became_non_finite": went_non_finite,
                "initial_grad_norm": initial, "growth_from_initial_orders": from_initial,
                "loss_jump": loss_jump, "points": len(total),
                "source": "grad_norm_preclip" if run.has("grad_norm_preclip") else
                          ("grad_norm" if run.has("grad_norm") else "per-layer gradients")}
    # non-finite after growing, or after a gradient far larger than the weights it updates
    # (|g|/|w| >= spike_rel: one SGD step at any usual lr throws the weights away)
    spiked = went_non_finite and (growth >= p["growth_orders"] / 2 or peak_rel >= p["spike_rel"])
    # growth hurts when the loss did not improve meanwhile (or turned NaN); a healthy transformer's
    # gradient norm may grow 2 orders while its loss keeps falling
    grew = growth >= p["growth_orders"] and (went_non_finite or growth >= p["growth_orders"] + 1
                                             or not loss_ratio < p["growth_loss_ratio"])
    # the norm and the loss rising together from where they started: the steps blew the loss up
    joint = from_initial >= p["joint_orders"] and loss_jump >= p["joint_loss_jump"]
    if not (grew or spiked or joint or spike >= p["spike_orders"]):
        return None
    severity = Severity.ERROR if went_non_finite or joint or growth >= p["growth_orders"] + 1 \
        else Severity.WARNING
    # one spike mid-run that the training got over: the loss ended below where it stood at the
    # spike (clipped, or a lucky step): seen and said, as a note. (Not one at the start: any
    # training that learns ends below its first loss.)
    recovered = not (grew or spiked or joint) and peak_i >= k and _loss_recovered(run, peak_step)
    if recovered:
        severity = Severity.INFO
        evidence["loss_recovered_after_spike"] = True
    tail = " and then became non-finite" if went_non_finite else ""
    if grew:
        hurt = "" if went_non_finite or not np.isfinite(loss_ratio) else \
            f", while the loss stayed at {loss_ratio:.0%} of its start"
        what = (f"gradient norm grew {10 ** growth:.3g}x ({growth:.1f} orders, threshold "
                f"{p['growth_orders']:g}) from {fmt(early)} to a sustained {fmt(level)} around step "
                f"{level_step}{hurt}{tail}")
    elif joint:
        what = (f"gradient norm grew {10 ** from_initial:.3g}x ({from_initial:.1f} orders, threshold "
                f"{p['joint_orders']:g}) from {fmt(initial)} at the start to a sustained {fmt(level)} "
                f"around step {level_step} while the train loss rose {loss_jump:.3g}x above its "
                f"start (threshold {p['joint_loss_jump']:g}){tail}")
    elif spike >= p["spike_orders"]:
        what = (f"gradient norm spiked to {fmt(peak)} at step {peak_step}, {10 ** spike:.3g}x "
                f"({spike:.1f} orders, threshold {p['spike_orders']:g}) its typical level "
                f"{fmt(baseline)}{tail}" + ("; the loss recovered and ended below its level before "
                                            "the spike" if recovered else ""))
    elif peak_rel >= p["spike_rel"]:
        what = (f"gradients reached {fmt(peak_rel)}x the norm of the weights they update (peak "
                f"{fmt(peak)} at step {peak_step}) and then became non-finite")
    else:  # (the number that crossed: the growth, not a |g|/|w| below its line)
        what = (f"gradient norm grew {10 ** growth:.3g}x ({growth:.1f} orders, threshold "
                f"{p['growth_orders'] / 2:g} before a NaN) from {fmt(early)} to a sustained "
                f"{fmt(level)} around step {level_step} and then became non-finite")
    return Finding("exploding_gradients", severity, summary=what, evidence=evidence, params=p,
                   steps=[int(fin.steps[0]), peak_step])


def _sustained_peak(s) -> tuple[float, int | None]:
    """The highest running median (over ~2% of the points, at least 3) and its step. A long series
    is first reduced to block medians (signals.block_medians): a running median over 2% of 1M
    points would be quadratic (minutes); over 2% of its ~2k blocks it is the same level."""
    v, steps = s.values, s.steps
    b = max(1, len(v) // 2000)
    if b > 1:
        v, steps = block_medians(v), steps[: len(v) - len(v) % b][b // 2::b]
    w = max(3, len(v) // 50)
    if len(v) < 2 * w:
        i = int(np.argmax(v)) if len(v) else 0
        return (float(v[i]), int(steps[i])) if len(v) else (float("nan"), None)
    med = np.median(np.lib.stride_tricks.sliding_window_view(v, w), axis=1)
    i = int(np.argmax(med))
    return float(med[i]), int(steps[i + w // 2])


def _loss_around(run: Run, step: int | None) -> tuple[float, float, bool, float] | None:
    """(the train loss's median around `step`, its end: the median of its last tenth, whether
    `step` is clear of that end, its median just before `step`: NaN when none), or None when the
    loss is unknown there."""
    tr = run.series("train_loss")
    if step is None or tr is None or len(tr.finite()) < 8:
        return None
    fin = tr.finite()
    span = max(2, len(fin) // 20)
    i = int(np.searchsorted(fin.steps, step))
    around = fin.values[max(0, i - span): i + span]
    if not len(around):
        return None
    _, end = robust_start_end(fin, frac=0.1, min_points=2)
    before = fin.values[max(0, i - span): i]
    return (float(np.median(around)), end, i < len(fin) - span,
            float(np.median(before)) if len(before) else float("nan"))


def _loss_recovered(run: Run, step: int | None) -> bool:
    """The train loss ended (median of its last tenth) below its level just before `step`: the
    training got over the spike. (Below the level around it is not enough: a spike that kills an
    RNN leaves its loss at the targets' variance, below the burst itself but 3x where it was:
    fresh13.)"""
    seen = _loss_around(run, step)
    return seen is not None and seen[2] and seen[1] < seen[3]


def _loss_fell_after(run: Run, step: int | None, share: float) -> bool:
    """The train loss ended (median of its last tenth) at least `share` below its level around
    `step`; True when the loss is unknown (nothing to say otherwise)."""
    seen = _loss_around(run, step)
    return seen is None or seen[1] <= (1 - share) * seen[0]


def _loss_jump(run: Run) -> float:
    """The train loss's highest sustained level over its first three points (NaN when unknown)."""
    tr = run.series("train_loss")
    if tr is None or len(tr.finite()) < 4:
        return float("nan")
    tr = tr.finite()
    start = float(np.median(tr.values[:3]))
    return _sustained_peak(tr)[0] / start if start > 0 else float("nan")


def _loss_at(run: Run, step: int | None) -> float:
    """The train loss around `step` over its start level (NaN when unknown)."""
    tr = run.series("train_loss")
    if tr is None or step is None or len(tr.finite()) < 4:
        return float("nan")
    tr = tr.finite()
    start, _ = robust_start_end(tr)
    span = max(1, int(len(tr) // 50))
    near = tr.values[np.argsort(np.abs(tr.steps - step))[:span * 2 + 1]]
    return float(np.median(near)) / start if start > 0 else float("nan")


def _huge_from_start(run: Run, p: dict) -> Finding | None:
    """Gradients as large as the weights themselves from the first steps on most hidden layers:
    exploding even when flat over time (a well-initialised layer's |g|/|w| is orders below 1)."""
    early = _early_relative_grads(run, int(p["first_steps"]))
    if len(early) < 2:
        return None
    huge = {n: v for n, v in early.items() if v >= p["huge_rel"]}
    if len(huge) <= p["huge_layers"] * len(early):
        return None  # most layers: more than half (a GRU's input weights over 1 feature alone are not)
    typical = float(np.median(list(early.values())))
    tr = run.series("train_loss")
    # the fall from the loss of those first steps (a Poisson regression on raw counts falls from
    # 20.6 to 4.8 within its first tenth, then creeps: measured from the first tenth's median, 19%)
    drop = math.nan
    if tr is not None and len(tr.finite()) >= 4:
        v = tr.finite().values
        first, end = float(np.median(v[:3])), robust_start_end(tr.finite())[1]
        drop = (first - end) / abs(first) if first else math.nan
    if typical < p["huge_rel_any"] and drop >= p["huge_trained_drop"]:
        return None  # |g| ~ |w| at the start of a regression that then trains well is its scale, not harm
    chance = chance_level(run)
    trained = drop_below_chance(tr.finite(), chance) if tr is not None and len(tr.finite()) >= 4 \
        else math.nan
    # ... unless the forward pass itself blew up: gradients or a first loss far beyond what a loss
    # summed over a batch gives (a ReLU RNN with a recurrent gain of 1.06 started at 1e5 x ln 2)
    blown = typical >= p["huge_rel_blown"] or bool(
        chance and tr is not None and len(tr.finite())
        and float(np.median(tr.finite().values[:3])) >= p["huge_loss_over_chance"] * chance)
    ratios = update_ratios(run)
    calm = bool(ratios) and float(np.median(list(ratios.values()))) <= p["huge_calm_steps"]
    # (calm steps on a loss stuck at its chance level are steps in a direction the huge gradients
    # scrambled: a tanh RNN at gain 3 under Adam)
    stuck = chance is not None and chance > 0 and not trained >= p["huge_stuck_drop"]
    if adaptive_optimizer(run) and (trained >= p["huge_trained_drop"] or calm and not stuck) and not blown:
        # Adam and its kin step each weight by about the lr whatever the gradient's scale: a loss
        # summed over pixels and batch (the VAE of the PyTorch examples) makes gradients large,
        # not steps; a loss that then trained well (below the chance level, where one is known),
        # or steps measured at a calm size, show the model was not thrown around. (A ReLU RNN
        # whose loss fell from 1e10 to 3e4 x chance was.)
        return None
    return Finding("exploding_gradients", Severity.WARNING,
                   summary=f"gradients are {fmt(float(np.median(list(huge.values()))))}x the norm "
                           f"of the weights they update (median) from the first steps on {len(huge)} "
                           f"of {len(early)} hidden layers "
                           f"(threshold |g|/|w| >= {p['huge_rel']:g}; a well-initialised layer is "
                           f"orders below)", evidence={"early_relative_grad": early,
                                                       "median_early_relative_grad": typical},
                   params=p, layers=sorted(huge, key=huge.get)[::-1][:8],
                   steps=[int(run.params.steps[0]), int(run.params.steps[min(len(run.params) - 1,
                                                                              int(p["first_steps"]) - 1)])])


def _toward_input(run: Run, p: dict) -> Finding | None:
    depth = _depth_gap(run, int(p["min_layers"]))
    if depth is None or not -depth["gap"] >= p["depth_orders"]:
        return None
    names, head, tail, gap = depth["names"], depth["head"], depth["tail"], -depth["gap"]
    return Finding("exploding_gradients", Severity.WARNING,
                   summary=f"gradients grow {10 ** gap:.3g}x from the output layers to the input "
                           f"layers: |g|/|w| {fmt(head)} at {names[0]} vs {fmt(tail)} at {names[-1]}",
                   evidence={"relative_grad_input_side": head, "relative_grad_output_side": tail,
                             "orders_of_magnitude": gap},
                   params=p, layers=names[:max(1, len(names) // 4)],
                   steps=[int(run.params.steps[0]), int(run.params.steps[-1])])


@detector("exploding_gradients", needs=("params|grad_norm|grad_norm_preclip",))
def exploding_gradients(run: Run, p: dict) -> list[Finding]:
    """What it detects: the global gradient norm (every step where recorded) grows
    `growth_orders` orders of magnitude above its early level (and its first points), spikes
    `spike_orders` above its typical level (the larger of its median and early level; also at
    initialisation, when the loss then fell `init_spike_loss_drop` below its level there), or becomes
    non-finite after growing or after a gradient `spike_rel` times its weights; or gradients are
    `huge_rel` times their weights from the first steps on most hidden layers (unless the loss then
    fell `huge_trained_drop` and they stay below `huge_rel_any`, or under Adam or a kin, whose
    steps do not scale with the gradient); or the relative
    gradient grows `depth_orders` orders toward the input layers. A spike mid-run after which the
    loss ended below its level just before the spike is a note: the training got over it.
    Why it matters: updates become huge, the loss jumps or turns NaN."""
    found = _over_time(run, p)
    if found is None and run.has("params"):
        found = _huge_from_start(run, p) or _toward_input(run, p)
    return [found] if found else []
