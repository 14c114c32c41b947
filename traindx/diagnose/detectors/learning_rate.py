"""learning_rate_too_high and learning_rate_too_low: how far each step moves the weights
(update/weight ratio |dw|/|w|, about 1e-3 in a healthy run) together with what the loss does."""
from __future__ import annotations

import math
import warnings

import numpy as np

from ...runs.model import Run, Series
from ..finding import Finding, Severity
from ..profile import adaptive_optimizer, optimizer_assumed
from ..registry import detector
from ..signals import (block_medians, chance_level, class_count, class_prior, decay_shrink,
                       drop_below_chance, fell_only, first_update_ratio, fmt, fmt_pair, fmt_share,
                       learned_well, loss_scale, peak_update_ratio, ratio_layers, relative_drop,
                       relative_grads, return_improved, robust_start_end, started_small,
                       total_grad_norm, train_losses, update_ratios, value_near, weight_layers)
from ..thresholds import resolve
from .activations import dead_layers


def _roughness(s: Series) -> float:
    """Median |step-to-step change| over the median level, in the late half: how much the loss
    jumps relative to where it is (mini-batch noise near convergence stays well below 0.5)."""
    late = s.values[len(s.values) // 2:]
    if len(late) < 4:
        return math.nan
    level = float(np.median(np.abs(late)))
    return float(np.median(np.abs(np.diff(late)))) / level if level > 0 else math.nan


def _rebound(s: Series) -> tuple[float, float]:
    """End level over the best level of the loss smoothed by a running median (10% of the points):
    how much worse it got again after its best (1.0 = ends at its best); and the share of the fall
    from its start to its best that it gave back (a ratio of two near-zero losses is not a rebound)."""
    v = block_medians(s.values)
    w = max(3, len(v) // 10)
    if len(v) < 2 * w:
        return math.nan, math.nan
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(v, w), axis=1)
    best, start, end = float(smooth.min()), float(smooth[0]), float(smooth[-1])
    given_back = (end - best) / (start - best) if start > best else math.inf
    return (end / best if best > 0 else math.nan), given_back


def _eval_rebound(run: Run) -> float:
    """The eval loss at its end (median of the last three evaluations) over its best: NaN with
    fewer than four evaluations."""
    ev = run.series("eval_loss")
    fin = ev.finite() if ev is not None else None
    if fin is None or len(fin) < 4 or not fin.values.min() > 0:
        return math.nan
    return float(np.median(fin.values[-3:])) / float(fin.values.min())


def _lr_climb(run: Run) -> dict | None:
    """The lr at the end of the run over the lr where the (smoothed) train loss was at its best:
    a schedule that kept raising the lr after the loss's best (a warm-up to a too-high peak, a
    min/max typo) makes the steps grow while the loss gets worse. None without a logged lr."""
    tr, lr = run.series("train_loss"), run.series("lr")
    if tr is None or lr is None or len(lr.finite()) < 2 or len(tr.finite()) < 8:
        return None
    fin = tr.finite()
    # (block medians first, as _rebound: the window stays linear in a long run's length)
    values, steps = block_medians(fin.values), block_medians(fin.steps.astype(float))
    w = max(3, len(values) // 10)
    smooth = np.median(np.lib.stride_tricks.sliding_window_view(values, w), axis=1)
    best_step = int(steps[int(np.argmin(smooth)) + w // 2])
    span = max(int(fin.steps[-1] - fin.steps[0]) // 10, 1)
    rates = lr.finite()
    at_best, end = value_near(rates, best_step, span), value_near(rates, int(rates.steps[-1]), span)
    if not at_best > 0:
        return None
    return {"lr_at_best_loss": at_best, "lr_end": end, "best_loss_step": best_step, "lr_climb": end / at_best}


def _weight_growth(run: Run) -> float:
    """The largest weight norm each weight layer reached over its first, median over the layers
    (NaN without per-layer weights)."""
    table = run.params
    w = table.get("weight_norm") if table is not None else None
    cols = weight_layers(run, table) if w is not None else []
    growth = [float(np.nanmax(w[:, c]) / w[0, c]) for c in cols
              if np.isfinite(w[:, c]).any() and np.isfinite(w[0, c]) and w[0, c] > 0]
    return float(np.median(growth)) if growth else math.nan


def _given_back(share: float) -> str:
    return f", giving back {fmt_share(min(share, 1.0))} of its fall" if math.isfinite(share) else ""


def _undone_spikes(v: np.ndarray, given_back: float) -> np.ndarray:
    """Points an order above the three before them after which the loss (median of the next
    three) gave back less than `given_back` of the fall it had made before them: one hard batch,
    no divergence (fresh13's healthy log, 1.41 ... 0.04 -> 17.9 -> 0.09, 0.22, 0.08: 4% given
    back); a step that throws the model back is kept (fresh11's timm log, 2.31, 1.14 -> 52.3 ->
    2.49, 2.33: all of it)."""
    level = np.full(len(v), -np.inf)  # the highest of the three points before each
    for k in (1, 2, 3):
        level[k:] = np.maximum(level[k:], v[:-k])
    lowest = np.minimum.accumulate(v)  # the best the loss had got to, up to each point
    out = np.zeros(len(v), dtype=bool)
    for i in np.nonzero(v[1:-1] >= 10 * level[1:-1])[0] + 1:
        best, after = float(lowest[i - 1]), float(np.median(v[i + 1:i + 4]))
        fall = float(v[0]) - best
        out[i] = after - best < given_back * fall if fall > 0 else after <= level[i]
    return out


def _climbed(last: float, before: np.ndarray, factor: float) -> bool:
    """`last` climbed to `factor` times the lowest of `before`; for a loss that goes below zero
    (a Gaussian NLL, a policy-gradient loss), where a ratio has no meaning, by `factor - 1` of the
    range `before` spans (a loss at its best, -0.07 after 0.2, has not climbed: fresh14)."""
    low = float(np.min(before))
    if low > 0:
        return last >= factor * low
    return last - low >= (factor - 1) * (float(np.max(before)) - low) > 0


def _loss_shape(run: Run, rise_factor: float = math.inf, given_back: float = 0.1) -> dict | None:
    tr = run.series("train_loss")
    if tr is None:
        return None
    fin = tr.finite()
    bad = ~np.isfinite(tr.values)
    # a loss that is non-finite from its first point was never finite: no update made it so (a
    # bug in the loss or the data), so it says nothing about the learning rate
    before = tr.values[: int(bad.argmax())] if bad.any() else tr.values
    before = before[np.isfinite(before)]
    bad_after_finite = bool(bad.any()) and len(before) > 0
    # steps that are too large blow the loss up before it overflows; a loss that turns NaN at or
    # near its best (log(0), a division by zero) is a numeric fault, whatever the step size
    # (running medians of 3: one noisy batch is not a climb; fewer than 3 points cannot tell)
    if len(before) > 3:
        smooth = np.median(np.stack([before[:-2], before[1:-1], before[2:]]), axis=0)
        rose = _climbed(float(smooth[-1]), smooth, rise_factor)
    elif len(before) == 3:  # one median: a climb is each point above the last (0.67, 6.6e5, 1.8e14)
        rose = bool(before[0] < before[1] < before[2]) and _climbed(float(before[2]), before[:1], rise_factor)
    else:
        rose = False
    shape = {"points": len(fin), "went_non_finite": bad_after_finite, "rose_before_non_finite": rose,
             "first_non_finite_step": int(tr.steps[bad.argmax()]) if bad.any() else None}
    if len(fin) >= 4:
        start, end = robust_start_end(fin)
        # a jump: a later point 10x above where the loss started: its first point (a log's first
        # point may already be on the way up), unless that point is an order below the start
        # level and the second point does not agree with it (an outlier batch, followed by a
        # level; not a climb that doubles again at the third point: 3.65, 14.3, 85.7, ... 483);
        # when the two agree, the start level is what an early explosion inflated
        # (one hard batch whose spike the loss gets over is no divergence: _undone_spikes)
        v = fin.values
        kept = np.where(_undone_spikes(v, given_back), -np.inf, v)
        top = float(np.max(kept[1:]))
        top_step = int(fin.steps[1 + int(np.argmax(kept[1:]))])
        first, second, third = (float(x) for x in v[:3])
        climbing = third >= 2 * second > 4 * first
        start_ref = first if first >= start / 10 or second <= 2 * first or climbing else start
        shape.update(start_loss=start, end_loss=end, relative_drop=relative_drop(fin), max_loss=top,
                     max_loss_step=top_step, jump=top / start_ref if start_ref > 0 else math.nan,
                     end_over_start=end / start if start > 0 else math.nan,
                     roughness=_roughness(fin))
        shape["rebound"], shape["rebound_given_back"] = _rebound(fin)
    return shape


def _worse_than_guessing(run: Run, p: dict) -> dict | None:
    """A classifier whose train loss started at about ln C (`uniform_start` times it: outputs
    near uniform over its C classes, as initialised) and ends `over_uniform` times ln C or more
    (the median of its last fifth): confidently wrong, worse than guessing every class alike.
    Training does not make a model worse than that; steps that throw its logits around do."""
    classes = class_count(run)
    tr = run.series("train_loss")
    v = tr.finite().values if tr is not None and classes >= 2 else np.zeros(0)
    classifies = any(loss.get("kind") == "classification" for loss in train_losses(run))
    if len(v) < p["min_points"] or not classifies:
        return None
    uniform = math.log(classes)
    end = float(np.median(v[-max(2, len(v) // 5):]))
    if v[0] > p["uniform_start"] * uniform or end < p["over_uniform"] * uniform:
        return None
    return {"uniform_loss": uniform, "classes": classes, "first_loss": float(v[0]), "end_loss": end}


def _sampled_by(run: Run, step: int | None) -> bool:
    """Whether an update ratio was sampled at or before `step`."""
    table = run.params
    ur = table.get("update_ratio") if table is not None else None
    if ur is None or step is None:
        return True
    return bool((np.isfinite(ur).any(axis=1) & (table.steps <= step)).any())


def _swinging_eval(run: Run, min_points: int) -> dict | None:
    """A log's evaluations: the median factor by which the eval loss changes from one evaluation
    to the next, and how the eval error rate moved from the first evaluation to the last. An eval
    over a fixed set changes smoothly when the weights move a little between evaluations; a loss
    that jumps by half its value each time, while the error does not shrink, is a model thrown
    around by its steps (a stuck model with a sane learning rate sits still at its level)."""
    ev, acc = run.series("eval_loss"), run.series("eval_acc")
    if ev is None or acc is None:
        return None
    v, a = ev.finite().values, acc.finite().values
    v = v[v > 0]
    if len(v) < min_points or len(a) < min_points:
        return None
    return {"eval_loss_swing": float(np.exp(np.median(np.abs(np.diff(np.log(v)))))),
            "eval_loss_range": (float(v.min()), float(v.max())),
            "eval_error_first": 1.0 - float(a[0]), "eval_error_end": 1.0 - float(np.median(a[-3:]))}


def _epoch_spikes(run: Run, factor: float, share: float) -> dict | None:
    """The epochs of an epoch log whose mean train loss jumped to `factor`x the median of the three
    before, giving back `share` of its fall from the start so far, where the lr was not raised
    (a warm restart raises it on purpose)."""
    tr = run.series("train_loss")
    if run.unit != "epochs" or tr is None or len(tr.finite()) < 8:
        return None
    fin, lr = tr.finite(), run.series("lr")
    v, steps = fin.values, fin.steps
    start = float(np.median(v[:3]))
    hits = []
    for i in range(3, len(v)):
        level, fall = float(np.median(v[i - 3:i])), start - float(v[:i].min())
        if not (level > 0 and fall > 0 and v[i] >= factor * level and v[i] - level >= share * fall):
            continue
        if lr is not None and len(lr.finite()) and \
                value_near(lr.finite(), int(steps[i]), 1) > 1.2 * value_near(lr.finite(), int(steps[i - 1]), 1):
            continue
        hits.append(int(steps[i]))
    return {"loss_spikes": len(hits), "loss_spike_epochs": hits}


def _swing_sentence(evidence: dict) -> str:
    low, high = fmt_pair(*evidence["eval_loss_range"])
    return (f"the eval loss changes by a median factor of {evidence['eval_loss_swing']:.2f} from one "
            f"evaluation to the next (between {low} and {high}) while the eval error rate stays at "
            f"{fmt_share(evidence['eval_error_end'])} (first {fmt_share(evidence['eval_error_first'])})")


def _early_update_ratio(run: Run, first_steps: int) -> tuple[float, int | None]:
    """The largest median (over weight layers) update/weight ratio of the first sampled steps, and
    its step: a first update that moves the weights by their own norm replaced them."""
    table = run.params
    if table is None or table.get("update_ratio") is None:
        return math.nan, None
    cols = ratio_layers(run, table)
    ur = table.get("update_ratio")[:, cols] if cols else np.zeros((0, 0))
    rows = np.where(np.isfinite(ur).any(axis=1))[0][:first_steps] if cols else []
    if not len(rows):
        return math.nan, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_step = np.nanmedian(np.where(np.isfinite(ur[rows]), ur[rows], np.nan), axis=1)
    if not np.isfinite(per_step).any():
        return math.nan, None
    top = int(np.nanargmax(per_step))
    return float(per_step[top]), int(table.steps[rows[top]])


def _updates_all_non_finite(run: Run) -> bool:
    """Update ratios were recorded and not one weight layer's is finite (a log with per-layer
    gradients but no update ratios has none recorded: its loss alone still speaks for the lr)."""
    ur = run.params.get("update_ratio") if run.params is not None else None
    if ur is None or not ur.size:
        return False
    cols = weight_layers(run, run.params) or list(range(ur.shape[1]))
    return not np.isfinite(ur[:, cols]).any()  # (a bias may still move: fp16 weights went NaN)


def _accuracy_collapse(run: Run) -> dict | None:
    """How far the accuracy (train, else held-out) ended below its best: the best median of three
    consecutive points against the median of the last fifth. Training does not take back what a
    model learned; steps that overshoot do. A recorded run's batch accuracies are pooled over
    `train_examples` labels first (the best of 19 batches of 8, one at 62.5%, is noise: fresh15's
    detached logits at chance); too few batches for two such pools: the held-out accuracy speaks."""
    for key in ("train_acc", "eval_acc"):
        s = run.series(key)
        v = s.finite().values if s is not None else np.zeros(0)
        labels = sum(run.labels.get("train_counts") or ()) if key == "train_acc" else 0
        if labels and len(v):
            per_point = labels / len(v)
            pool = math.ceil(resolve("bayes_gap")["train_examples"] / per_point)
            if pool > 1:
                if len(v) < 2 * pool + 3:
                    continue
                v = np.convolve(v, np.ones(pool) / pool, mode="valid")
        if len(v) >= 5:
            best = float(max(np.median(v[i:i + 3]) for i in range(len(v) - 2)))
            end = float(np.median(v[-max(2, len(v) // 5):]))
            return {"accuracy_signal": key, "accuracy_best": best, "accuracy_end": end,
                    "accuracy_lost": best - end}
    return None


def _killed_units(run: Run, high_ratio: float) -> dict | None:
    """ReLU units that died for good right after an update of `high_ratio` of the weights or more
    (dead_units' own measure: its thresholds, the update just before they died), where the loss
    of them shows: the layer passes almost nothing, or the model did not learn its task. A step
    that size throws the units' biases below every input: the step size's doing."""
    if run.activations is None:
        return None
    p = resolve("dead_units")
    dead = dead_layers(run, p)
    if not dead or dead.get("at_init") or not dead.get("largest_update_ratio_before", 0) >= high_ratio:
        return None
    passes_nothing = dead["worst_dead_fraction"] >= p["error_frac"]
    if not passes_nothing and learned_well(run, p["learned_share"]):
        return None  # the live units sufficed: no harm to blame on the steps
    keys = ("worst_layer", "worst_dead_fraction", "first_dead_step", "largest_update_ratio_before",
            "largest_update_step")
    return {**{k: dead[k] for k in keys}, "layer_passes_nothing": passes_nothing}


def _started_small(run: Run, below: float = 0.1) -> bool:
    """Most weight layers start far below the usual initial scale (see signals.started_small)."""
    small, measured = started_small(run, below)
    return len(small) > measured / 2


def _first_relative_grad(run: Run) -> float:
    """Median |g|/|w| over the hidden weight layers at the first recorded step, measured before
    that step's update: what the initialisation and the data give, before any learning rate acts."""
    table = run.params
    rel = relative_grads(table) if table is not None else None
    cols = weight_layers(run, table)[:-1] if rel is not None else []
    if not cols or int(table.steps[0]) > 1:
        return math.nan
    v = rel[0, cols]
    v = v[np.isfinite(v)]
    return float(np.median(v)) if len(v) else math.nan


def _lbfgs(run: Run) -> dict | None:
    """The run's LBFGS optimiser's settings, if it has one: its quasi-Newton steps move the weights
    by about their own size by design (lr 1 is its default), so update ratios say nothing of a
    learning rate; without a line search its lr multiplies that step."""
    return next((o for o in run.meta.get("optimizers") or []
                 if isinstance(o, dict) and str(o.get("type", "")).upper() == "LBFGS"), None)


def _lbfgs_overshoot(run: Run, lbfgs: dict, shape: dict, diverged: bool, p: dict) -> Finding | None:
    """LBFGS with no line search at an lr above `lbfgs_lr` (its natural step: the quasi-Newton
    step is lr 1) whose loss diverged: each step is that many quasi-Newton steps long."""
    lr = lbfgs.get("lr")
    if lbfgs.get("line_search_fn") or not isinstance(lr, (int, float)) or not lr > p["lbfgs_lr"] \
            or not diverged:
        return None
    fin = run.series("train_loss").finite().values
    what = f"the train loss climbed from {fmt(float(fin[0]))} to {fmt(float(fin.max()))}"
    if shape["went_non_finite"]:
        what += f" and turned non-finite at step {shape['first_non_finite_step']}"
    return Finding("learning_rate_too_high", Severity.ERROR,
                   summary=f"learning rate too high: LBFGS with no line search at lr {fmt(lr)} takes "
                           f"{fmt(lr)}x its quasi-Newton step each iteration (lr 1 is that step; "
                           f"threshold {p['lbfgs_lr']:g}), and {what}",
                   evidence={"criterion": "lbfgs_lr", "lr": float(lr), "line_search_fn": None, **shape},
                   params=p, steps=[int(run.series("train_loss").steps[0]), int(run.series("train_loss").steps[-1])])


def _logged_lr(run: Run) -> dict | None:
    """A log's lr, for a log without per-layer data: its peak, the optimiser when the log names an
    Adam-family one (each of whose steps moves every weight by up to about the lr, whatever the
    gradient's scale), and the lr summed over the steps (the farthest a weight can travel under
    Adam; under SGD lr x |g|, and |g| above 10x |w| is exploding, which is judged apart; NaN in a
    log of epochs, whose steps are not known)."""
    lr = run.series("lr")
    fin = lr.finite() if lr is not None else None
    if fin is None or not len(fin) or not (fin.values > 0).any():
        return None
    v, s = fin.values, fin.steps.astype(float)
    travel = math.nan
    if run.unit == "steps":  # before the first point, between points and after the last
        travel = float(v[0] * max(s[0], 1.0) + np.sum((v[1:] + v[:-1]) / 2 * np.diff(s))
                       + v[-1] * max(run.steps - s[-1], 0.0))
    return {"adaptive_optimizer": adaptive_optimizer(run), "optimizer_assumed": optimizer_assumed(run),
            "peak_lr": float(v.max()), "lr_sum": travel, "source": "the logged lr (no per-layer statistics)"}


@detector("learning_rate_too_high", needs=("train_loss",))
def learning_rate_too_high(run: Run, p: dict) -> list[Finding]:
    """What it detects: the first updates move the weights by `early_ratio` of their norm or more
    (they are thrown away: an error whatever the loss does), or the typical step moves them
    `extreme_ratio` of their norm while the loss did not fall by `extreme_drop`, or the loss rose
    while the weights grew
    `weight_growth` times their first norm; or the weights move more than
    `high_ratio` of their norm per step (median over layers and sampled steps; ~1e-3 is healthy)
    while the loss diverges (ends `diverge_factor`x its start, jumps `jump_factor`x above it, or
    turns NaN), ends `rebound`x above its best smoothed level having given back `rebound_share` of
    its fall (and the eval loss, where logged, ends `eval_rebound`x above its best; not for a loss
    whose batch-to-batch changes are `max_roughness` times its level), or does not fall (`min_drop`).
    Without per-layer statistics (or with none sampled yet where the loss jumped: a second training
    phase that blew up in its first steps), a loss that grows or jumps is enough (one hard batch
    whose spike the loss gets over, giving back less than `rebound_share` of its fall, is no jump),
    or one that turns
    non-finite after climbing to `nan_rise`x its best (one that goes NaN at its best is a numeric
    fault: log(0), a division by zero), or an accuracy (train, else held-out) that ended
    `acc_collapse` below its best while the loss stayed finite, or, under Adam or a kin named by
    the log (Lightning's `lr-AdamW` column, the `optim` of a Trainer's training_args.bin) or the
    framework's default where the log names none (the HF Trainer's AdamW: a warning that says so),
    a peak lr of `adaptive_lr` or more (each step moves every weight by about
    the lr, the size of usual weights) with a loss that did not fall or rebounded. Not
    claimed when the first gradients, before any update, are already `init_grad_rel` times the
    weights (the initialisation or the data blew them up) — unless the loss's own scale did, with
    inputs at unit scale: it sums `summed_over` or more values per batch (reduction="sum"),
    regresses targets whose root mean square is `target_rms` or more, or starts at `loss_level` or
    more; then the lr is too high for that scale, and the finding says which — when no recorded
    update is finite, or under LBFGS (its steps are sized by the curvature; there only an lr above
    `lbfgs_lr`, its quasi-Newton step, with no line search and a loss that diverged, is claimed),
    or when a weight decay shrank the weight layers under `crushed` of their first norm after
    first updates of a healthy size (the ratios grew because the weights shrank). A peak of the
    update ratio blames a loss that rose, not one that went NaN at its best. Also when ReLU units died for good right after
    an update of `high_ratio` or more (dead_units' measure) and their loss shows (the layer passes
    almost nothing, or the model did not learn): the step threw their biases below every input.
    Also when a classifier's train loss, started at about ln C (`uniform_start` times it), ends
    `over_uniform` times ln C or more — worse than guessing every class alike — with peak steps of
    `high_ratio` of the weights or more.
    Also when the loss rebounded (or rose) and the accuracy ended `acc_collapse` below its best,
    with peak steps of `climb_ratio` of the weights or more (what was learned undone by steps an
    order above healthy: one param group at 100x the lr of the rest).
    Also when the loss rebounded (or rose) while the schedule raised the lr `lr_climb`x after the
    loss's best, with steps of `climb_ratio` of the weights' norm or more at the peak; or when it
    did not fall under an Adam-family lr of `adaptive_lr` or more with typical steps of
    `climb_ratio` or more (the lr and the measured steps agree).
    Why it matters: each step overshoots the minimum; the loss bounces or blows up, and units die
    or saturate on the way."""
    shape = _loss_shape(run, p["nan_rise"], p["rebound_share"])
    if shape is None or shape["points"] < p["min_points"] and not shape["went_non_finite"]:
        return []
    ratios = update_ratios(run)
    if not ratios and _updates_all_non_finite(run):
        return []  # the updates were recorded and none is finite: a numeric fault, not a step size
    lbfgs = _lbfgs(run)
    if lbfgs is not None:  # LBFGS sizes its steps from the curvature: only an lr above 1 is judged
        diverged = shape["went_non_finite"] and shape["rose_before_non_finite"] or \
            shape.get("end_over_start", 0) >= p["diverge_factor"] or shape.get("jump", 0) >= p["jump_factor"]
        found = _lbfgs_overshoot(run, lbfgs, shape, diverged, p)
        return [found] if found else []
    first_rel = _first_relative_grad(run)
    scale = loss_scale(run, p, resolve("unnormalized_inputs")["max_std"])
    if first_rel >= p["init_grad_rel"] and scale is None:
        return []  # gradients larger than the weights before any update: not the step size's doing
    crushed = decay_shrink(run)
    if crushed is not None and crushed[1] < p["crushed"] and \
            not _early_update_ratio(run, int(p["first_steps"]))[0] >= p["high_ratio"]:
        return []  # the decay shrank the weights: steps of a healthy first size look large next to them
    ratio = float(np.median(list(ratios.values()))) if ratios else math.nan
    jumped = shape.get("jump", 0) >= p["jump_factor"]
    blew_up = shape["went_non_finite"] and (shape["rose_before_non_finite"] or bool(ratios))
    # a train loss that got worse, confirmed by the held-out loss where there is one (the train
    # loss of tiny batches swings, a curriculum's rises with each harder stage; an eval loss that
    # ends at its best says the model did not get worse)
    eval_rebound = _eval_rebound(run)
    shape["eval_rebound"] = eval_rebound
    grew = shape.get("end_over_start", 0) >= p["diverge_factor"] and not eval_rebound < p["eval_rebound"]
    diverged = blew_up or grew or jumped
    # what the loss did, not merely that it went NaN: a NaN at the loss's best (log(0) in a loss
    # written by hand) after early steps of 0.06-0.14 is no peak's doing (fresh2, fresh3)
    rose = diverged and (not shape["went_non_finite"] or shape["rose_before_non_finite"] or grew or jumped)
    # (a loss whose batch-to-batch changes exceed its own level, two kinds of batches mixed, has
    # no level to rebound from: CutMix on some batches, a focal loss near 0 on the others)
    rebounded = shape.get("rebound", math.nan) >= p["rebound"] and \
        shape.get("rebound_given_back", math.nan) >= p["rebound_share"] and \
        not eval_rebound < p["eval_rebound"] and not shape.get("roughness", 0.0) >= p["max_roughness"]
    # (a loss that mixes the objectives of optimisers stepping in turn, a GAN's, need not fall)
    stalled = not (shape.get("relative_drop", math.nan) >= p["min_drop"]) and \
        not run.meta.get("separate_objectives")
    peak, peak_step = peak_update_ratio(run)
    early, early_step = _early_update_ratio(run, int(p["first_steps"]))
    evidence = {"update_ratio_median": ratio, "update_ratio_peak": peak, "update_ratio_peak_step": peak_step,
                "update_ratio_first_steps": early, "update_ratio_first": first_update_ratio(run),
                "per_layer_update_ratio": ratios, **shape}
    # (weights that start far below their usual scale, zeros or 0.01 x randn, are moved by their
    # own norm by any first step: that says nothing of the lr)
    thrown_away = early >= p["early_ratio"] and not _started_small(run)
    # typical steps too large and the loss bad; or some steps too large (a warm-up or schedule
    # that peaks too high) and the loss got worse again afterwards
    typical = ratio >= p["high_ratio"] and (diverged or rebounded or stalled)
    # (a loss that halved under such steps is being trained by them: not claimed then)
    extreme = ratio >= p["extreme_ratio"] and not _started_small(run) and \
        not shape.get("relative_drop", math.nan) >= p["extreme_drop"]
    growth = _weight_growth(run)
    inflated = rose and growth >= p["weight_growth"] and not _started_small(run)
    if math.isfinite(growth):
        evidence["weight_growth"] = growth
    typical = typical or extreme
    # two signals that agree: an Adam-family lr at the weights' own scale (each step moves every
    # weight by about the lr) and measured steps an order above healthy, on a loss that did not fall
    logged = _logged_lr(run) if ratios and stalled and ratio >= p["climb_ratio"] else None
    if logged and logged["adaptive_optimizer"] and logged["peak_lr"] >= p["adaptive_lr"]:
        evidence.update({k: logged[k] for k in ("adaptive_optimizer", "optimizer_assumed", "peak_lr")})
        typical = True
    # a classifier left worse than guessing, where some steps moved the weights by a share of
    # their norm (a model never updated is not thrown: LoRA adapters outside the optimiser)
    worse = _worse_than_guessing(run, p) if peak >= p["high_ratio"] else None
    if worse:
        evidence.update(worse)
        rose = True
    peaked = peak >= p["high_ratio"] and (rose or rebounded)
    # a rebound while the schedule kept raising the lr, with steps an order above healthy
    climb = _lr_climb(run) if ratios and (rose or rebounded) and peak >= p["climb_ratio"] else None
    if climb and climb["lr_climb"] >= p["lr_climb"]:
        evidence.update(climb)
        peaked = True
    # what was learned undone while the loss rose, under steps an order above healthy somewhere (a
    # param group at 100x the lr of the rest: the median step looks healthy, the head is thrown)
    collapse = _accuracy_collapse(run) if ratios and (rose or rebounded) and peak >= p["climb_ratio"] \
        and not shape["went_non_finite"] else None
    if collapse and collapse["accuracy_lost"] >= p["acc_collapse"]:
        evidence.update(collapse)
        peaked = True
    killed = _killed_units(run, p["high_ratio"])
    if killed:
        evidence["killed_units"] = killed
    # a jump before the first sampled statistics (a second training phase, a new optimiser mid-run
    # with no dense start of its own, that blew up in its first steps and was sampled only after
    # the wreck): the loss speaks alone, as in a log. (A jump between samples of a run that had
    # been sampled is left to them: the per-step gradient norm sees an explosion there.)
    unseen = jumped and not _sampled_by(run, shape.get("max_loss_step"))
    if unseen:
        evidence["jump_not_sampled"] = True
    if not ratios and return_improved(run):
        return []  # a loss that jumps while the return rises: its targets moved (RL), not the steps
    if ratios:
        if not (typical or peaked or thrown_away or killed or inflated or unseen):
            return []
    elif not diverged:
        # no update ratios: only a diverging loss speaks for the learning rate, or evaluations
        # that swing while the error stays where it began, or an adaptive optimiser's lr far above
        # the weights' scale while the loss did not fall
        logged = _logged_lr(run)
        collapsed = _accuracy_collapse(run) if not shape["went_non_finite"] else None
        if logged and logged["adaptive_optimizer"] and logged["peak_lr"] >= p["adaptive_lr"] and \
                (stalled or rebounded):
            evidence.update(logged)
        elif collapsed and collapsed["accuracy_lost"] >= p["acc_collapse"]:
            evidence.update(collapsed)
        elif (spikes := _epoch_spikes(run, p["spike_factor"], p["spike_share"])) and \
                spikes["loss_spikes"] >= p["spike_count"]:
            evidence.update(spikes)
        else:
            swing = _swinging_eval(run, int(p["swing_points"]))
            if not swing or swing["eval_loss_swing"] < p["eval_swing"] or \
                    swing["eval_error_end"] < p["error_kept"] * swing["eval_error_first"]:
                return []
            evidence.update(swing)
    start_s, end_s = fmt_pair(shape.get("start_loss", math.nan), shape.get("end_loss", math.nan))
    swing = evidence.get("eval_loss_swing")
    what = ("the train loss turned non-finite at step "
            f"{shape['first_non_finite_step']}" if shape["went_non_finite"] else
            f"the train loss went from {fmt(worse['first_loss'])} to {fmt(worse['end_loss'])}, "
            f"{worse['end_loss'] / worse['uniform_loss']:.2g}x ln C ({fmt(worse['uniform_loss'])}: guessing "
            f"each of the {worse['classes']} classes alike): worse than a guess" if worse else
            f"the train loss jumped to {fmt(shape['max_loss'])}, {shape['jump']:.3g}x where it "
            f"started" if jumped else
            f"the train loss went from {start_s} to {end_s}" if diverged else
            _swing_sentence(evidence) if swing else
            f"the train loss ended {shape['rebound']:.1f}x above its best level"
            + _given_back(shape['rebound_given_back']) if rebounded else
            f"the train loss {fell_only(shape.get('relative_drop', math.nan))}" if stalled else
            f"the train loss went from {start_s} to {end_s}")
    adaptive = "peak_lr" in evidence and not diverged
    lost = evidence.get("accuracy_lost")
    if lost is not None:
        size = (f"the {evidence['accuracy_signal'].replace('_', ' ')} fell from its best "
                f"{evidence['accuracy_best']:.1%} to {evidence['accuracy_end']:.1%} ({lost * 100:.0f} "
                f"points; threshold {p['acc_collapse'] * 100:g}): the steps undid what the model had learned")
    elif adaptive:
        named = evidence["adaptive_optimizer"] + (
            " (the framework's default: the log does not name the optimiser)" if evidence.get("optimizer_assumed") else "")
        size = (f"under {named} each step moves every weight by up to about "
                f"the lr, and the lr peaked at {fmt(evidence['peak_lr'])} "
                f"(threshold {p['adaptive_lr']:g}), the size of the weights themselves (usually "
                f"0.02-0.2)")
    elif "loss_spikes" in evidence:
        shown = ", ".join(str(e) for e in evidence["loss_spike_epochs"][:6])
        size = (f"the epoch's mean train loss jumped to {p['spike_factor']:g}x or more of its level "
                f"over the three epochs before {evidence['loss_spikes']} times (epochs {shown}"
                f"{', ...' if evidence['loss_spikes'] > 6 else ''}), each giving back "
                f"{p['spike_share']:.0%}+ of its fall, with the lr not raised: steps that throw the "
                f"model out of where it was")
    elif not ratios:
        size = "the loss diverges" if diverged else "the model is thrown around by its steps"
    elif unseen and not (typical or peaked or thrown_away or killed or inflated):
        size = (f"the loss diverges before the first sampled statistics (its top at step "
                f"{shape['max_loss_step']})")
    elif thrown_away:
        size = (f"the first updates (at step {early_step}) moved the weights by {fmt(early)} of "
                f"their norm (threshold {p['early_ratio']:g}; ~1e-3 is healthy): each step "
                f"throws the weights away")
    elif typical:
        size = (f"each step moves the weights by {fmt(ratio)} of their norm (~1e-3 is healthy, "
                f"{math.log10(ratio / 1e-3):.1f} orders above)")
    elif inflated and not peaked:
        size = (f"the steps inflated the weights {growth:.3g}x their first norm (median over the "
                f"layers; threshold {p['weight_growth']:g}x), so each moves them by only {fmt(ratio)} "
                f"of a norm that keeps growing")
    elif killed and not peaked:
        size = (f"the update of step {killed['largest_update_step']} moved the weights by "
                f"{fmt(killed['largest_update_ratio_before'])} of their norm (~1e-3 is healthy; "
                f"threshold {p['high_ratio']:g}) and right after it {killed['worst_dead_fraction']:.0%} "
                f"of the units of {killed['worst_layer']} died for good")
    else:
        size = (f"at step {peak_step} the steps moved the weights by {fmt(peak)} of their norm "
                f"(~1e-3 is healthy, {math.log10(peak / 1e-3):.1f} orders above)")
        if "lr_climb" in evidence and peak < p["high_ratio"]:
            size += (f", the lr having risen {evidence['lr_climb']:.3g}x (from "
                     f"{fmt(evidence['lr_at_best_loss'])} at the loss's best, step "
                     f"{evidence['best_loss_step']}, to {fmt(evidence['lr_end'])})")
    if scale is not None:  # the lr is too high for this loss's scale: say why the steps are so large
        evidence.update(scale)
        size += f"; {scale['loss_scale']}"
        if math.isfinite(first_rel):
            size += f": {fmt(first_rel)}x the weights before any update"
    lr = run.series("lr")
    if lr is not None and len(lr.finite()):
        evidence["lr"] = float(lr.finite().values[0])
        if evidence["lr"] > 0:  # a warm-up grows the steps by itself (see story._grown_gradients)
            evidence["lr_peak_over_first"] = float(lr.finite().values.max()) / evidence["lr"]
    tr = run.series("train_loss")
    evidence.setdefault("criterion", "step_size")  # (remedy rows for LBFGS's own criterion are not for it)
    # (an optimiser the log does not name, taken to be the framework's default, is a warning's worth)
    adaptive_known = adaptive and not evidence.get("optimizer_assumed")
    severity = Severity.ERROR if diverged or worse or thrown_away or swing or adaptive_known or \
        lost is not None or (killed and killed["layer_passes_nothing"]) else Severity.WARNING
    return [Finding("learning_rate_too_high", severity,
                    summary=f"learning rate too high: {size}; {what}",
                    evidence=evidence, params=p, layers=sorted(ratios, key=ratios.get)[-3:][::-1],
                    steps=[int(tr.steps[0]), int(tr.steps[-1])])]


def _still_falling(s: Series) -> float:
    """The loss drop over the second half over the drop over the first half: about 1 for a
    steady crawl, about 0 for a curve that has flattened (converged or stuck)."""
    v = block_medians(s.values)
    n = len(v)
    if n < 8:
        return math.nan
    k = max(2, n // 10)
    a, b, c = np.median(v[:k]), np.median(v[n // 2 - k // 2: n // 2 + k // 2 + 1]), np.median(v[-k:])
    return float((b - c) / (a - b)) if a - b > 0 else math.nan


def _straightness(s: Series) -> float:
    """R^2 of a straight line through the loss (block medians) when the line falls; 0 when it
    does not: about 1 for a loss that falls at a constant rate, low for noise around a level."""
    v = block_medians(s.values)
    if len(v) < 4 or not np.all(np.isfinite(v)):
        return 0.0
    x = np.arange(len(v), dtype=float)
    slope, icpt = np.polyfit(x, v, 1)
    total = float(np.sum((v - v.mean()) ** 2))
    if slope >= 0 or total <= 0:
        return 0.0
    return 1.0 - float(np.sum((v - (slope * x + icpt)) ** 2)) / total


@detector("learning_rate_too_low", needs=("train_loss",))
def learning_rate_too_low(run: Run, p: dict) -> list[Finding]:
    """What it detects: the train loss fell less than `slow_drop` over the run while even the
    fastest-moving weight layer moves less than `low_ratio` of its norm per step (~1e-3 is
    healthy), or the layers move `crawl_ratio` or less (median) and the loss is still falling
    steadily at the end (`crawl_still_falls`: a crawl, not a plateau; below the chance level or
    towards it from above), or the median ratio times
    the steps is at most `total_move` while the loss fell less than `stayed_drop` (or, with the
    median at `at_chance_ratio` or less, less than `slow_drop` below the chance level), or the median
    layer moves `at_chance_ratio` or less while the loss, still within `stayed_drop` of the chance
    level, keeps falling (`crawl_still_falls`). Layers moving
    `starved_orders` orders slower than the fastest are left out (starved of gradient); when they
    are the majority, the lr is not judged (the gradient flow is what is broken), nor when the
    gradient norm fell `converged_orders` orders (a minimum reached, not a crawl). Without update
    ratios (a log of curves), the loss alone: it fell less than `slow_drop`, in a straight line
    (R^2 of a line >= `line_r2`) that falls as fast at the end as at the start (`line_still_falls`),
    over `min_loss_steps` steps or more (or `min_points` epochs), and never non-finite;
    or a logged lr whose sum over the steps (how far Adam lets a weight travel in all; SGD moves it
    lr x |g|) is at most `lr_travel`, with a loss that fell less than `stayed_drop`. Or, from the
    logged lr of a run or a log: the schedule took it `collapse_orders` below its peak within
    `collapse_share` of the run while the loss stayed within `stayed_drop` of the chance level (a
    per-epoch scheduler stepped every batch).
    Why it matters: training crawls; it would need orders of magnitude more steps."""
    tr = run.series("train_loss").finite()
    if len(tr) < p["min_points"]:
        return []
    if _lbfgs(run) is not None:
        return []  # LBFGS sizes its own steps
    collapsed = _schedule_collapse(run, tr, p)
    if collapsed:
        return collapsed
    ratios = update_ratios(run, p["zero_grad"]) if run.has("params") else {}
    if not ratios:
        return _crawl_from_loss(run, tr, p)
    ratios, starved = _lr_driven(ratios, p["starved_orders"])
    if len(starved) > len(ratios):
        return []  # most layers starved: the gradient flow is broken, the gradient detectors say so
    if _gradient_collapsed(run, p["converged_orders"]):
        return []  # small steps at a minimum: the gradient itself vanished, the model converged
    fastest = max(ratios, key=ratios.get)
    top = ratios[fastest]
    # progress below the chance level: a model that only fitted the targets' offset or the class
    # prior (fast even at a tiny lr: those gradients are large) has not learned yet
    chance = chance_level(run)
    drop = drop_below_chance(tr, chance)
    evidence = {"max_layer_update_ratio": top, "fastest_layer": fastest, "chance_loss": chance,
                "update_ratio_median": float(np.median(list(ratios.values()))),
                "relative_drop": drop, "per_layer_update_ratio": ratios}
    if starved:
        evidence["starved_layers"] = starved
    falling = _still_falling(tr)
    evidence["late_over_early_drop"] = falling
    tiny = top <= p["low_ratio"]
    # an adaptive optimiser at a tiny lr: small steps everywhere and a loss that keeps crawling down
    # (below the chance level, or towards it from above: fresh10's Adam at 3e-5 still 0.93 over a
    # prior's 0.60 after 600 steps, falling as fast as ever)
    crawling = evidence["update_ratio_median"] <= p["crawl_ratio"] and \
        (0 < drop or 0 < relative_drop(tr)) and falling >= p["crawl_still_falls"]
    # over the whole run the weights moved about (median ratio x steps) of their norm: a run whose
    # weights barely moved in all and whose loss did not fall could not have learned anything
    moved = evidence["update_ratio_median"] * max(run.steps, int(tr.steps[-1]))
    evidence["total_move_estimate"] = moved
    # ... or, every step an order below healthy, not halfway below the chance level: the model
    # is still near its initialisation (an ESPCN at SGD 1e-4 moved 2% in all, 19% below chance)
    stayed = moved <= p["total_move"] and (drop < p["stayed_drop"] or (
        chance is not None and evidence["update_ratio_median"] <= p["at_chance_ratio"]))
    # still at the chance level yet falling steadily, every layer an order below the healthy 1e-3:
    # slowed, not stuck (a regressor at SGD 1e-5 fitting only the targets' offset after 30 epochs)
    slowed = drop < p["stayed_drop"] and evidence["update_ratio_median"] <= p["at_chance_ratio"] and \
        falling >= p["crawl_still_falls"]
    if not ((tiny or crawling or stayed or slowed) and drop < p["slow_drop"]):
        return []
    evidence["criteria"] = [name for name, hit in (("tiny", tiny), ("crawling", crawling),
                                                   ("stayed", stayed), ("slowed", slowed)) if hit]
    _add_lr(run, evidence)
    median = evidence["update_ratio_median"]
    what = ("no layer changes at all from step to step (median update 0: an lr of 0, or updates "
            "too small for the weights' precision)" if top <= 0 else
            f"the fastest-moving layer ({fastest}) changes by only {fmt(top)} of its norm per step "
            f"({math.log10(1e-3 / top):.1f} orders below ~1e-3)" if tiny else
            f"the layers change by {fmt(median)} of their norm per step (median; "
            f"{math.log10(1e-3 / median):.1f} orders below ~1e-3)" if median > 0 else
            f"most layers do not change at all from step to step (median update 0; the fastest, "
            f"{fastest}, by {fmt(top)} of its norm)")
    if stayed:
        what += f"; the weights moved about {fmt_share(moved)} of their norm over the whole run"
    collapse = _lr_collapse(run, tr, p["collapse_orders"])
    if collapse is not None and collapse[4] <= p["collapse_share"]:  # the schedule's doing
        what += (f"; the schedule took the lr from {fmt(collapse[0])} to {fmt(collapse[2])} by "
                 f"{run.unit[:-1]} {collapse[1]} ({collapse[4]:.0%} of the run)")
        evidence.update(peak_lr=collapse[0], collapse_step=collapse[1], final_lr=collapse[3])
    return [Finding("learning_rate_too_low", Severity.WARNING,
                    summary=f"learning rate too low: {what} and {_progress(run, tr, chance, drop)} "
                            f"over {_span(run, tr)}"
                            + (", still falling steadily at the end" if crawling or slowed else ""),
                    evidence=evidence, params=p, layers=list(ratios)[:3],
                    steps=[int(tr.steps[0]), int(tr.steps[-1])])]


def _schedule_collapse(run: Run, tr: Series, p: dict) -> list[Finding]:
    """The lr schedule took the lr `collapse_orders` below its peak early in the run
    (`collapse_share`), and the loss, still near the chance level (or, with none known, having
    barely moved in all), has not moved since: the schedule, not the base lr, stopped training
    (a per-epoch scheduler stepped every batch)."""
    found = _lr_collapse(run, tr, p["collapse_orders"])
    if found is None:
        return []
    peak, at, collapsed_to, final, share = found
    end = int(max(tr.steps[-1], run.steps))
    after = Series(tr.steps[tr.steps >= at], tr.values[tr.steps >= at])
    chance = chance_level(run)
    progress = drop_below_chance(tr, chance)  # no chance level (a log): the drop over the whole run
    if share > p["collapse_share"] or len(after) < p["min_points"] or progress >= p["stayed_drop"]:
        return []
    moved = relative_drop(after)
    if moved >= p["stayed_drop"]:
        return []
    evidence = {"peak_lr": peak, "lr_at_collapse": collapsed_to, "collapse_step": at,
                "final_lr": final, "relative_drop_after": moved, "chance_loss": chance,
                "criteria": ["schedule_collapse"]}
    where = f"still near the chance level ({fmt(chance)})" if chance is not None else f"{progress:.1%} in all"
    return [Finding("learning_rate_too_low", Severity.WARNING,
                    summary=f"learning rate too low: the schedule took the lr from {fmt(peak)} to "
                            f"{fmt(collapsed_to)} by {run.unit[:-1]} {at} ({share:.0%} of the run; it ends "
                            f"at {fmt(final)}), and the train loss has fallen only {max(moved, 0.0):.1%} "
                            f"since, {where}: is the scheduler stepped per batch with a per-epoch schedule?",
                    evidence=evidence, params=p, steps=[at, end])]


def _lr_collapse(run: Run, tr: Series, orders_down: float) -> tuple | None:
    """(peak lr, the step where the schedule first took it `orders_down` orders below that peak,
    its value there, its final value, that step's share of the run), or None."""
    lr = run.series("lr")
    fin = lr.finite() if lr is not None else None
    if fin is None or len(fin) < 4 or not (fin.values > 0).any():
        return None
    v, s = fin.values, fin.steps
    top = int(np.argmax(v))
    low = np.nonzero(v[top:] <= v[top] * 10 ** -orders_down)[0]
    if not len(low):
        return None
    at = int(s[top + low[0]])
    start, end = int(tr.steps[0]), int(max(tr.steps[-1], run.steps))
    return float(v[top]), at, float(v[top + low[0]]), float(v[-1]), (at - start) / max(end - start, 1)


def _gradient_collapsed(run: Run, orders_down: float) -> bool:
    """The global gradient norm of the last quarter is `orders_down` orders below its first
    tenth or its first three points (a convex model reaches its optimum within a few steps:
    fresh10's logistic regression, 0.25 -> 7e-9 with its loss flat after step 3): the model
    reached a minimum (a too-low lr leaves the gradient where it was)."""
    total = total_grad_norm(run)
    fin = total.finite() if total is not None else None
    if fin is None or len(fin) < 8:
        return False
    early = max(float(np.median(fin.values[:max(2, len(fin) // 10)])),
                float(np.median(fin.values[:3])))
    late = float(np.median(fin.values[-max(2, len(fin) // 4):]))
    return early > 0 and late < early * 10 ** -orders_down


def _progress(run: Run, tr: Series, chance: float | None, drop: float) -> str:
    """How far the train loss got: from its start, or from the chance level (where `drop` was
    measured from when one is known and the loss did not fall further than that from its start)."""
    start, end = robust_start_end(tr)
    if chance is None or not start > chance and drop <= relative_drop(tr):
        return f"the train loss fell only {fmt_share(drop)}"
    what = "the targets' mean" if class_prior(run) is None else "the class prior"
    level = f"the chance level {fmt(chance)} (always predicting {what})"
    if end >= chance:
        return f"the train loss ends at {fmt(end)}, still above {level},"
    return f"the train loss fell only {fmt_share(drop)} below {level}"


def _lr_driven(ratios: dict[str, float], starved_orders: float) -> tuple[dict[str, float], list[str]]:
    """The layers whose step size the learning rate sets, and those it does not: one lr scales
    every layer's step alike (SGD by its gradient, Adam by about lr per weight), so a layer moving
    `starved_orders` orders slower than the fastest is starved of gradient (vanishing, dead units
    below it, a masked path), which the gradient detectors judge; its tiny steps say nothing of
    the lr."""
    top = max(ratios.values())
    keep = {n: r for n, r in ratios.items() if r >= top * 10 ** -starved_orders}
    return keep, [n for n in ratios if n not in keep]


def _crawl_from_loss(run: Run, tr: Series, p: dict) -> list[Finding]:
    """A log without per-layer data: a train loss that falls a little, at a constant rate, to the
    end. (Not the eval loss: a model that cannot learn, with shuffled labels, also drifts its eval
    loss down in a line by a fraction of a percent as its output bias settles.)"""
    whole = run.series("train_loss")
    if not np.isfinite(whole.values).all():
        return []  # a loss that turned NaN has no end to be still falling at (a numeric fault's)
    drop, line, falling = relative_drop(tr), _straightness(tr), _still_falling(tr)
    logged = _logged_lr(run)
    if logged and logged["lr_sum"] <= p["lr_travel"] and drop < p["stayed_drop"]:
        return [_too_little_travel(run, tr, logged, drop, p)]
    evidence = {"relative_drop": drop, "line_r2": line, "late_over_early_drop": falling,
                "source": "train loss only (no per-layer statistics)"}
    if not (0 < drop < p["slow_drop"] and line >= p["line_r2"] and falling >= p["line_still_falls"]):
        return []
    # a crawl needs a run long enough to tell it from a start: a first attempt that crashed after
    # 11 steps is a beginning in a straight line, not a crawl (fresh14: a TensorBoard log holding it)
    if run.unit != "epochs" and int(tr.steps[-1] - tr.steps[0]) < p["min_loss_steps"]:
        return []
    # small steps slow all learning, the held-out loss falls slowly too; a train loss that creeps
    # down while the eval loss ends no lower than it started is memorising, not held back
    ev = run.series("eval_loss")
    ev = ev.finite() if ev is not None else None
    if ev is not None and len(ev) >= 3:
        ev_start, ev_end = robust_start_end(ev)
        if ev_end >= ev_start:
            return []
    _add_lr(run, evidence)
    start_s, end_s = fmt_pair(*robust_start_end(tr))
    return [Finding("learning_rate_too_low", Severity.WARNING,
                    summary=f"learning rate too low (from the loss alone): the train loss fell only "
                            f"{fmt_share(drop)} over {_span(run, tr)}, from {start_s} to {end_s}, in a "
                            f"straight line (R^2 {line:.2f}) still falling as fast at the end: the "
                            f"steps are too small to get anywhere",
                    evidence=evidence, params=p, steps=[int(tr.steps[0]), int(tr.steps[-1])])]


def _too_little_travel(run: Run, tr: Series, logged: dict, drop: float, p: dict) -> Finding:
    """A logged lr whose sum over the run lets no weight move more than a small share of the
    smallest usual weight scale, and a loss that did not fall: nothing could be learned."""
    evidence = {**logged, "relative_drop": drop}
    _add_lr(run, evidence)
    return Finding("learning_rate_too_low", Severity.WARNING,
                   summary=f"learning rate too low: summed over {_span(run, tr)} the lr (peak "
                           f"{fmt(logged['peak_lr'])}) is {fmt(logged['lr_sum'])} (threshold "
                           f"{p['lr_travel']:g}): under Adam no weight can move further than that in "
                           f"all, under SGD lr x |g|, while weights are usually 0.01-0.2; the train "
                           f"loss {fell_only(drop)}",
                   evidence=evidence, params=p, steps=[int(tr.steps[0]), int(tr.steps[-1])])


def _add_lr(run: Run, evidence: dict) -> None:
    lr = run.series("lr")
    if lr is not None and len(lr.finite()):
        evidence["lr"] = float(lr.finite().values[0])


def _span(run: Run, tr: Series) -> str:
    return f"{int(tr.steps[-1])} {run.unit}"
