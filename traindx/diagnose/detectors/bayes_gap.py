"""high_bias, high_variance, data_mismatch: the Bayes-gap analysis on a run's train/val errors
(1 - accuracy, or logged error series), with the Bayes error and test error from the run's context
(`--bayes-error`/`--human-error`, `--test-error`, or the run's metadata)."""
from __future__ import annotations

import math

import numpy as np

from ...record.kinds import ACTIVATIONS, FUNCTIONAL, FUNCTIONAL_RELU
from ...runs.model import Run, Series
from ..bayes import PLANS, analyse_gap, describe
from ..capacity import HIDDEN, probe_error, probe_params
from ..finding import Finding, NotJudged, Severity
from ..registry import detector
from ..signals import (chance_loss, class_prior, decay_shrink, fell_only, fmt, fmt_share,
                       module_block, pooled_train_accuracy, regression_chance, robust_start_end,
                       sorted_by_class, weight_layers, weighted_loss)
from ..thresholds import resolve

# the signals that make a run's errors rates (then the Bayes error is on their scale)
ERROR_RATE_SIGNALS = ("train_acc", "eval_acc", "train_error", "eval_error", "val_error")
SOURCES = {"train": (("train_error", False), ("train_acc", True)),
           "val": (("eval_error", False), ("val_error", False), ("eval_acc", True)),
           "test": (("test_error", False), ("test_acc", True))}


def final_error(run: Run, which: str) -> tuple[float, str] | None:
    """The error at the end of the run: the median of the last points of an error series, or 1 -
    accuracy. Train accuracy is a running mini-batch average, so the last 10% of it counts; of a
    held-out one the last two evaluations in the run's second half (one made before training, of
    the untrained model, is no end: fresh10's two evaluations, at step 0 and at the end)."""
    for key, is_acc in SOURCES[which]:
        value = pooled_train_accuracy(run, resolve("bayes_gap")["train_examples"]) \
            if key == "train_acc" else None
        if value is None:
            value = end_value(run.series(key), which == "train")
        if value is not None:
            return (1.0 - value if is_acc else value), key
    return None


def end_value(s: Series | None, train: bool) -> float | None:
    """A series' value at the end of the run (see final_error); None when it has no finite point."""
    fin = s.finite() if s is not None else None
    if fin is None or not len(fin):
        return None
    if train:
        return float(np.median(fin.values[-max(1, len(fin) // 10):]))
    late = fin.values[fin.steps >= (fin.steps[0] + fin.steps[-1]) / 2]  # (of its span: a phase from step 251)
    return float(np.median((late if len(late) else fin.values)[-2:]))


# (fresh10: a digits net fed class-sorted mini-batches read as 17 points of variance)
UNSHUFFLED = ("the training batches are sorted by class: a batch's accuracy is the model's on the "
              "one class it has just been trained on, not its fit of the training data")


@detector("bayes_gap", needs=("train_acc|train_error", "eval_acc|eval_error|val_error"),
          problems=("high_bias", "high_variance", "data_mismatch"))
def bayes_gap(run: Run, p: dict) -> list[Finding]:
    """What it detects: which of avoidable bias (train - Bayes error), variance (val - train) and
    data mismatch (test - val) dominates, when it is at least `min_gap`; without a Bayes error only
    a variance above `min_gap_no_bayes` that exceeds the train error itself. Not judged from the
    accuracies of training batches sorted by class (each batch's is the model's on one class).
    Why it matters: each gap has its own plan; working on the wrong one wastes the effort."""
    train, val = final_error(run, "train"), final_error(run, "val")
    if train is None or val is None:
        return []
    if train[1] == "train_acc" and sorted_by_class(run, resolve("non_convergence")):
        raise NotJudged(UNSHUFFLED)
    if any(s is not None and len(s) and not np.isfinite(s.values[-1])
           for s in (run.series("train_loss"), run.series("eval_loss"))):
        return []  # the run ended non-finite: its errors measure the NaN, not a gap
    bayes = run.context.get("bayes_error")
    test = run.context.get("test_error")
    test_source = "--test-error"
    if test is None and (t := final_error(run, "test")) is not None:
        test, test_source = t
    clamp = lambda x: min(max(x, 0.0), 1.0)  # noqa: E731
    gap = analyse_gap(clamp(train[0]), clamp(val[0]), bayes, None if test is None else clamp(test),
                      min_gap=p["min_gap"], min_gap_no_bayes=p["min_gap_no_bayes"])
    if gap.dominant is None:
        return []
    evidence = {**gap.to_dict(), "train_error_from": train[1], "val_error_from": val[1]}
    if test is not None:
        evidence["test_error_from"] = test_source
    steps = [0, run.steps]
    findings = []
    value = {"high_bias": gap.avoidable_bias, "high_variance": gap.variance,
             "data_mismatch": gap.mismatch}
    for problem in gap.significant:
        dominant = problem == gap.dominant
        clear = dominant and gap.ratio >= p["dominance"]
        severity = Severity.WARNING if dominant else Severity.INFO
        summary = describe(gap) if dominant else (
            f"{problem}: a gap of {value[problem]:.1%}, smaller than the dominant {gap.dominant}")
        findings.append(Finding(problem, severity, summary=summary,
                                evidence={**evidence, "clearly_dominant": clear,
                                          # (no constraint measured: the remedies for one stay out)
                                          **({"constraint": "unnamed"} if problem == "high_bias" else {})},
                                params=p, steps=steps))
    return findings


DRAWN_UNLIKE = "the test data is drawn unlike the data the model was trained and validated on"


@detector("loss_floor_gap", needs=("train_loss", "eval_loss"), problems=("high_bias", "high_variance"))
def loss_floor_gap(run: Run, p: dict) -> list[Finding]:
    """What it detects: the Bayes-gap analysis on a loss, where the run states the floor its loss can
    reach (a logged `bayes_mse`, `bayes_loss`: the noise of a regression's targets) and keeps no
    error rate: avoidable bias = train loss - floor, variance = eval - train, each counted when it
    is at least the floor itself (`floor_factor` - 1 times it: the loss at least twice what the
    task allows), the larger dominant (a test split drawn unlike them is loss_mismatch's).
    Why it matters: each gap has its own plan, as with error rates."""
    floor = run.context.get("bayes_loss")
    if floor is None or not floor > 0 or any(run.series(k) is not None for k in ERROR_RATE_SIGNALS):
        return []
    train = end_value(run.series("train_loss"), True)
    val = end_value(run.series("eval_loss"), False)
    if train is None or val is None:
        return []
    gaps = {"high_bias": train - floor, "high_variance": val - train}
    significant = {k: v for k, v in gaps.items() if v >= (p["floor_factor"] - 1) * floor}
    if not significant:
        return []
    dominant = max(significant, key=significant.get)
    evidence = {"bayes_loss": floor, "train_loss_end": train, "val_loss_end": val,
                "avoidable_bias": gaps["high_bias"], "variance": gaps["high_variance"], "dominant": dominant,
                **({"constraint": "unnamed"} if dominant == "high_bias" else {})}
    return [Finding(dominant, Severity.WARNING,
                    summary=f"{dominant} dominates the loss above the floor the run states ({fmt(floor)}): "
                            f"avoidable bias {fmt(gaps['high_bias'])} (train {fmt(train)} - floor {fmt(floor)}), "
                            f"variance {fmt(gaps['high_variance'])} (eval {fmt(val)} - train {fmt(train)}); "
                            f"plan: {PLANS[dominant]}",
                    evidence=evidence, params=p, steps=[0, run.steps])]


# (no test_loss in `needs`: a run without a test split is the common case, not a gap in its record)
@detector("loss_mismatch", needs=("train_loss", "eval_loss"), problems=("data_mismatch",))
def loss_mismatch(run: Run, p: dict) -> list[Finding]:
    """What it detects: a test split drawn unlike the training and validation data, judged from
    losses where no error rate is kept (a regression's MSE or MAE): the test loss ends at least
    `min_ratio` times the validation loss, and that excess (test - val) is larger than the
    validation's own excess over the train loss (the variance) and, where the chance level is known
    (the targets' variance under an MSE), at least `min_gap_no_bayes` of it (as the Bayes-gap
    analysis' 10 points of error). A test evaluated only in the run's first half is no end. With
    validation and test error rates the Bayes-gap analysis judges; where it cannot (no train error
    logged), the test error exceeds the validation error by `min_gap_no_bayes` and by more than the
    validation error itself (which bounds avoidable bias + variance together: test - val is then
    the largest gap).
    Why it matters: more capacity or regularisation will not close a gap that comes from the data
    the model is tested on; the training data must look more like it."""
    if (final_error(run, "test") is not None or run.context.get("test_error") is not None) \
            and final_error(run, "val") is not None:
        return [] if final_error(run, "train") is not None else _error_mismatch(run, p)
    test_s = run.series("test_loss")
    test_s = test_s.finite() if test_s is not None else None
    if test_s is None or not len(test_s) or test_s.steps[-1] < run.steps / 2:
        return []
    train = end_value(run.series("train_loss"), True)
    val = end_value(run.series("eval_loss"), False)
    test = end_value(test_s, False)
    if train is None or val is None or test is None or val <= 0 or test < p["min_ratio"] * val:
        return []
    mismatch, variance = test - val, max(val - train, 0.0)
    chance = regression_chance(run)
    if mismatch <= variance or (chance and mismatch < p["min_gap_no_bayes"] * chance):
        return []
    of_chance = f", {mismatch / chance:.0%} of the targets' variance" if chance else ""
    evidence = {"train_loss": train, "val_loss": val, "test_loss": test, "ratio": test / val,
                "mismatch": mismatch, "variance": val - train, "chance_level": chance}
    return [Finding("data_mismatch", Severity.WARNING,
                    summary=f"the test loss ends at {fmt(test)}, {test / val:.3g}x the validation "
                            f"loss ({fmt(val)}; train {fmt(train)}): an excess of {fmt(mismatch)}"
                            f"{of_chance}, larger than validation's gap over train: {DRAWN_UNLIKE}",
                    evidence=evidence, params=p, steps=[0, run.steps])]


@detector("constrained_model_bias", needs=("train_loss",), problems=("high_bias",))
def constrained_model_bias(run: Run, p: dict) -> list[Finding]:
    """What it detects: a model held back by how it is built or regularised that cannot fit its
    own training data: its train error ends above `fit_share` of the majority-class error (or its
    train loss above `fit_share` of the chance level: the prior's cross-entropy, the targets'
    variance) with the loss flat over the last half (fell less than `plateau_drop`, or so slowly that as
    much again would leave the fit above `fit_share`), or ending
    `plateau_drop` above its own best level (worse under the constraint), or neither for parameters
    no optimiser holds (they never change), and one of:
    less than `frozen_share` of its parameters are trained (the rest frozen); `unoptimised_share` or
    more of them get gradients but are in no optimiser's param groups (never updated); it is linear (one
    trained weight layer, or weight layers with no nonlinearity between them); a weight decay shrank
    its weight layers to under `shrunk` of their first norm (median over layers); a dropout drops
    `heavy_dropout` or more of its inputs in training; a fully connected hidden layer has at most
    `narrow_units` units. Without a Bayes error this assumes the task
    allows better (`--bayes-error` judges the gap exactly), unless the capacity probe shows it: a
    small MLP fit on the training rows the recorder kept (tabular inputs) errs on rows it did not
    see at most 1/`probe_factor` as often. With no such constraint, the probe alone: the model's
    best error (train or validation; a regression's MSE over the targets' variance) is at least
    `probe_gap` (and three binomial standard errors) above the probe's, `probe_factor` times it or
    more, and fell less over the run's last half than that gap, for a model with fewer trained
    parameters than the probe (one as big can represent what it fits: only once its loss is flat,
    fell less than `plateau_drop` over the last half, is it held back by how it is trained); else a
    poor fit is left to non_convergence.
    Why it matters: more steps or another lr will not fit what the model cannot represent or is
    not allowed to: remove the constraint (hidden layers, unfreeze, less decay or dropout)."""
    # (a log has no model to inspect: said by the gradient detectors' notes already)
    if run.params is None or run.context.get("bayes_error") is not None or "bayes_loss" in run.context:
        return []  # a Bayes error given: the Bayes-gap analysis judges
    tr = run.series("train_loss").finite()
    if len(tr) < 8:
        return []
    half = tr.steps >= tr.steps[0] + (tr.steps[-1] - tr.steps[0]) / 2
    if half.sum() < 4:
        return []
    late_start, end = robust_start_end(Series(tr.steps[half], tr.values[half]))
    late_drop = (late_start - end) / abs(late_start) if late_start else 0.0
    fit = _training_fit(run, end)
    constraint = _constraint(run, p) if fit is not None and fit["share"] > p["fit_share"] else None
    if constraint is None:  # nothing in how it is built: a better model fit on its data may tell
        return _probe_gap(run, p, tr, late_drop)
    kind, what, layers, extra = constraint
    # (parameters no optimiser holds never change: no need to wait for the loss to flatten; a loss
    # that ends well above its own best got worse under the constraint: no sign of fitting either)
    best = _best_level(tr)
    worse = end >= (1 + p["plateau_drop"]) * best
    # a loss still falling is given the benefit of the doubt only where its pace could get it
    # there: another stretch as long as the last half, at the same relative fall, would bring
    # the fit under fit_share (a 2-unit head at 64% of chance falling 11% a half would not)
    catching_up = fit["share"] * (1 - late_drop) <= p["fit_share"]
    if late_drop >= p["plateau_drop"] and catching_up and kind != "unoptimised" and not worse:
        return []
    evidence = {**fit, **extra, "constraint": kind, "late_relative_drop": late_drop,
                "bayes_error": "not given: assumed below the train error"}
    # the proof that a model free of the constraint does better, where the data allows a probe
    probe = probe_error(run.sample) if run.sample is not None else None
    shown = ""
    if probe is not None:
        evidence.update({"probe_error": probe["error"], "probe_rows": probe["rows"],
                         "probe_held_out": probe["held_out"]})
        what_err = (f"an MSE of {probe['error']:.1%} of the targets' variance"
                    if run.sample["kind"] == "regression" else f"{probe['error']:.1%} error")
        shown = (f" (a small MLP fit on {probe['rows'] - probe['held_out']:,} of its training rows "
                 f"reaches {what_err} on {probe['held_out']:,} it did not see)")
    # (the probe's error on the same scale as the fit: a share of the majority's error, or of the
    # targets' variance; where it is a fraction of the model's, the Bayes error is not that high)
    probe_share = None
    if probe is not None and "majority_error" in fit:
        probe_share = probe["error"] / fit["majority_error"]
    elif probe is not None and run.sample["kind"] == "regression":
        probe_share = probe["error"]
    unless = "" if probe_share is not None and probe_share * p["probe_factor"] <= fit["share"] \
        else "unless the task's Bayes error is that high (--bayes-error to judge), "
    return [Finding("high_bias", Severity.WARNING,
                    summary=f"{what} cannot fit its training data: {fit['sentence']}, and the train "
                            f"loss {_late(late_drop, end, best, p)}{shown}; {unless}"
                            f"{REMEDY[kind]}",
                    evidence=evidence, params=p, layers=layers,
                    steps=[int(tr.steps[0]), int(tr.steps[-1])])]


def _probe_gap(run: Run, p: dict, tr: Series, late_drop: float) -> list[Finding]:
    """High bias shown by the capacity probe (diagnose/capacity.py): a small MLP fit on the
    training rows the recorder kept errs on rows it did not see at least `probe_gap` less than the
    model does at its best (train or validation), and at most 1/`probe_factor` as often, while the
    model's error is not closing the gap: it fell less over the run's last half than the gap that
    remains (as long again, at that pace, would not get there). The data allows that much better
    and this model does not get there: the course's avoidable bias, the probe standing for the
    Bayes error, of which it is an upper bound."""
    if run.sample is None:
        return []
    # a model at least as big as the probe can represent what it does: what it misses is its
    # training's (a penalty, the optimiser), claimed only once its loss is flat (a 64x64 MLP after
    # 5 epochs, its loss falling 36% a half, is still getting there)
    trained, probe_size = _trained_params(run), probe_params(run.sample)
    if trained is None:
        return []
    small = trained < probe_size
    if not small and not late_drop < p["plateau_drop"]:
        return []
    model = _model_error(run, run.sample["kind"])
    if model is None or model[0] < p["probe_gap"]:
        return []
    error, where = model
    mid = _error_at_half(run, where)
    progress = mid - error if mid is not None else math.nan
    probe = probe_error(run.sample)
    if probe is None:
        return []
    gap = error - probe["error"]
    noise = 3 * math.sqrt(probe["error"] * (1 - probe["error"]) / probe["held_out"]) \
        if run.sample["kind"] != "regression" else 0.0  # (three binomial standard errors)
    if gap < max(p["probe_gap"], noise) or error < p["probe_factor"] * probe["error"] or \
            not progress < gap:
        return []
    regression = run.sample["kind"] == "regression"
    show = (lambda e: f"an MSE of {e:.1%} of the targets' variance") if regression else (lambda e: f"{e:.1%} error")
    evidence = {"constraint": "probe", "probe_error": probe["error"], "probe_train_error": probe["train_error"],
                "trained_params": trained, "probe_params": probe_size, "smaller_than_probe": small,
                "probe_rows": probe["rows"], "probe_held_out": probe["held_out"], "model_error": error,
                "model_error_from": where, "model_error_at_half": mid, "avoidable_bias_at_least": gap,
                "late_relative_drop": late_drop,
                "bayes_error": "not given: the probe's error is an upper bound of it"}
    return [Finding("high_bias", Severity.WARNING,
                    summary=f"a small MLP (two hidden layers of {HIDDEN}) fit on {probe['rows'] - probe['held_out']:,} "
                            f"of the training rows reaches {show(probe['error'])} on {probe['held_out']:,} it did "
                            f"not see, while the model ends at {show(error)} at best ({where.replace('_', ' ')}; "
                            f"{show(mid)} halfway): an avoidable bias of at least {gap * 100:.1f} points that its "
                            f"last half did not close; "
                            + (f"with {trained:,} trained parameters to the probe's {probe_size:,}, the model "
                               f"cannot represent what the data allows (a bigger model)" if small else
                               f"as big as the probe ({trained:,} trained parameters to its {probe_size:,}) and "
                               f"its loss flat over the last half ({fell_only(late_drop)}), the model is held "
                               f"back by how it is trained (a penalty or constraint too strong, the optimiser)"),
                    evidence=evidence, params=p, steps=[int(tr.steps[0]), int(tr.steps[-1])])]


def _trained_params(run: Run) -> int | None:
    """How many parameters get gradients (the layers with gradient statistics)."""
    shapes = run.meta.get("param_shapes") or {}
    sizes = [int(np.prod(shapes[name])) for name in run.params.layers if name in shapes]
    return sum(sizes) if sizes else None


def _error_at_half(run: Run, key: str) -> float | None:
    """The model's error (as _model_error measures it from `key`) halfway through the run: the
    median of the key's points in the tenth of its span before the middle."""
    s = run.series(key)
    fin = s.finite() if s is not None else None
    if fin is None or len(fin) < 4:
        return None
    lo, hi = fin.steps[0], fin.steps[-1]
    window = (fin.steps >= lo + 0.4 * (hi - lo)) & (fin.steps <= lo + 0.5 * (hi - lo))
    if not window.any():
        window = fin.steps <= lo + 0.5 * (hi - lo)
    value = float(np.median(fin.values[window]))
    if key.endswith("_acc"):
        return 1.0 - value
    if key.endswith("_loss"):
        chance = regression_chance(run)
        return value / chance if chance else None
    return value


def _model_error(run: Run, kind: str) -> tuple[float, str] | None:
    """The model's error at its best by the end, train or validation (a train error measured with
    dropout or augmentation on is above the model's): an error rate, or for a regression under an
    MSE its loss over the targets' variance."""
    if kind == "regression":
        chance = regression_chance(run)
        ends = [(end_value(run.series(k), k == "train_loss"), k) for k in ("train_loss", "eval_loss")]
        ends = [(v / chance, k) for v, k in ends if v is not None and chance]
        return min(ends) if ends else None
    ends = [e for e in (final_error(run, "train"), final_error(run, "val")) if e is not None]
    return min(ends) if ends else None


def _best_level(tr: Series) -> float:
    """The lowest level the loss held: the least of its medians over windows of a tenth of it."""
    w = max(len(tr) // 10, 1)
    return float(min(np.median(tr.values[i:i + w]) for i in range(0, len(tr) - w + 1, max(w // 2, 1))))


def _late(drop: float, end: float, best: float, p: dict) -> str:
    if drop < p["plateau_drop"]:
        return f"is flat over the last half ({fell_only(drop)})"
    if end >= (1 + p["plateau_drop"]) * best:
        return f"ends at {fmt(end)}, {end / best:.3g}x the best level it held ({fmt(best)})"
    return f"fell only {drop:.0%} over the last half (as much again would leave it short)"


REMEDY = {"linear": "hidden layers are needed", "frozen": "the frozen layers must train too",
          "unoptimised": "they must be given to the optimiser (a param-group filter that matched nothing, or "
                         "layers added after the optimiser was built)",
          "weight_decay": "the weight decay must come down", "dropout": "the dropout must come down",
          "narrow": "the hidden layer must be wider"}


def _constraint(run: Run, p: dict) -> tuple[str, str, list[str], dict] | None:
    """(kind, what the model is, layers, evidence) of the first constraint the run shows."""
    cols = weight_layers(run, run.params)
    layers = [run.params.layers[c] for c in cols]
    shapes = run.meta.get("param_shapes") or {}
    total = sum(int(np.prod(v)) for v in shapes.values())
    trained = _trained_params(run) or 0
    # first: parameters that get gradients no optimiser applies (a bug, not a freeze)
    left = run.meta.get("unoptimised")
    if left and left["numel"] >= p["unoptimised_share"] * left["total"]:
        names = left["params"]
        return ("unoptimised", f"a model with {left['numel']:,} of its {left['total']:,} parameters "
                f"({left['numel'] / left['total']:.0%}: {', '.join(names[:3])}{', ...' if len(names) > 3 else ''}) "
                f"in no optimiser's param groups (they get gradients and never change)", names,
                {"unoptimised_params": left["numel"], "total_params": left["total"],
                 "first_unoptimised": names[0] if names else "?"})
    if total and trained / total < p["frozen_share"]:
        return ("frozen", f"a model that trains {trained:,} of its {total:,} parameters "
                f"({trained / total:.1%}; the rest frozen)", layers,
                {"trained_params": trained, "total_params": total})
    if len(cols) == 1 or (len(cols) > 1 and _linear_stack(run)):
        what = (f"a linear model ({len(layers)} weight layers with no nonlinearity between them: "
                f"{', '.join(layers[:4])}{', ...' if len(layers) > 4 else ''}, one linear map)"
                if len(cols) > 1 else f"a linear model (one trained weight layer: {layers[0]})")
        return "linear", what, layers, {"trained_weight_layers": layers}
    shrunk = decay_shrink(run)
    if shrunk is not None and shrunk[1] < p["shrunk"]:
        return ("weight_decay", f"a model whose weight decay ({shrunk[0]:g}) shrank its weight "
                f"layers to {fmt(shrunk[1])}x their first norm", layers,
                {"weight_decay": shrunk[0], "weight_norm_end_over_start": shrunk[1]})
    dropped = _heavy_dropout(run, p["heavy_dropout"])
    if dropped is not None:
        return ("dropout", f"a model whose dropout {dropped[0]} drops {dropped[1]:.0%} of its inputs "
                f"in training", [dropped[0]], {"dropout_layer": dropped[0], "dropout_rate": dropped[1]})
    narrow = _bottleneck(run, cols, p["narrow_units"])
    if narrow is not None:
        return ("narrow", f"a model whose hidden layer {narrow[0]} has {narrow[1]} unit"
                f"{'s' if narrow[1] > 1 else ''} (every input passes through {narrow[1]} number"
                f"{'s' if narrow[1] > 1 else ''})", [narrow[0]],
                {"narrow_layer": narrow[0], "narrow_units": narrow[1]})
    return None


def _bottleneck(run: Run, cols: list[int], units: int) -> tuple[str, int] | None:
    """(layer, width) of a fully connected hidden layer with at most `units` outputs (and more than
    one: a [1, n] tensor is a gain or bias row that code with raw tensors keeps 2-D): the whole
    representation squeezed through that few numbers (two ReLU units bound a region by two lines:
    no circle, no spiral). Not the last layer of the model or of its block: a tower's one-unit
    score (wide & deep's deep part) is an output, added to another."""
    shapes = run.meta.get("param_shapes") or {}
    last_of_block = {module_block(run.params.layers[c]): c for c in cols}
    for c in cols:
        name = run.params.layers[c]
        if last_of_block[module_block(name)] == c:
            continue
        shape = shapes.get(name) or []
        if len(shape) == 2 and shape[0] <= units and 1 not in shape:  # ([1, n]: a raw gain row)
            return name, int(shape[0])
    return None


def _heavy_dropout(run: Run, heavy: float) -> tuple[str, float] | None:
    """(module, rate) of a Dropout whose measured share of zeroed outputs, beyond the zeros its
    input already had (a ReLU before it), is `heavy` or more in training."""
    acts = run.activations
    zeros = acts.get("zero_frac") if acts is not None else None
    if zeros is None:
        return None
    order = [m.get("name", "") for m in run.meta.get("model") or []]
    for j, name in enumerate(acts.layers):
        if acts.kinds.get(name) != "Dropout" or name not in order:
            continue
        before = order[order.index(name) - 1] if order.index(name) > 0 else None
        z = zeros[:, j]
        z_in = zeros[:, acts.layers.index(before)] if before in acts.layers else np.zeros_like(z)
        ok = np.isfinite(z) & np.isfinite(z_in) & (z_in < 1)
        if not ok.any():
            continue
        rate = float(np.median(1 - (1 - z[ok]) / (1 - z_in[ok])))
        if rate >= heavy:
            return name, rate
    return None


# modules that neither compute with weights nor bend the map (a stack of these and weight layers
# with no activation in between is one linear map)
PASS_THROUGH = ("Dropout", "Flatten", "InputLayer", "Identity", "Reshape")
WEIGHTED = ("Linear", "LazyLinear", "Dense")


def _linear_stack(run: Run) -> bool:
    """Weight layers with no nonlinearity between them (Keras Dense layers without an activation,
    Linear after Linear): one linear map however many layers; an activation after the last weight
    layer (a sigmoid or softmax head) bends nothing the loss does not. Only where every activation
    call is recorded (activation modules, and functions the recorder watches)."""
    modules = run.meta.get("model") or []
    acts = run.activations.kinds if run.activations is not None else None
    if not modules or acts is None or not run.meta.get("functional_relu"):
        return False
    order: list[tuple[float, str]] = []
    index = {m["name"]: i for i, m in enumerate(modules)}
    for i, m in enumerate(modules):
        kind = m["type"]
        if kind in WEIGHTED:
            order.append((i, "weight"))
        elif kind in ACTIVATIONS or kind in FUNCTIONAL + (FUNCTIONAL_RELU,):
            order.append((i, "act"))
        elif kind not in PASS_THROUGH:
            return False  # convolutions, pooling, norms, attention, recurrent cells: not judged
    for name, kind in acts.items():  # activations measured after a layer: `fc1.relu` (F.relu
        parent = name.rpartition(".")[0]  # called on fc1's output), `fc2.act` (a module reused)
        if (kind in ACTIVATIONS or kind in FUNCTIONAL + (FUNCTIONAL_RELU,)) and name not in index:
            order.append((index.get(parent, -1) + 0.5, "act"))
    last = max((i for i, what in order if what == "weight"), default=None)
    return last is not None and not any(what == "act" and i < last for i, what in order)


def _training_fit(run: Run, end_loss: float) -> dict | None:
    """How little of the task the model fits on its training data, as a share of the chance level
    (0: perfect, 1: no better than predicting the prior or the targets' mean) and a sentence."""
    prior = class_prior(run)
    majority = float(prior.max()) if prior is not None and len(prior) > 1 else None
    acc = run.series("train_acc")
    fin = acc.finite() if acc is not None else None
    if weighted_loss(run):  # an accuracy below the majority rate is the trade the weighting makes
        return None         # (fresh4: a loan-default model weighted 8:1 at 79% of an 89% majority)
    if majority is not None and majority < 1 and fin is not None and len(fin) >= 3:
        error = 1 - float(np.median(fin.values[-max(3, len(fin) // 10):]))
        return {"share": error / (1 - majority), "train_error": error, "majority_error": 1 - majority,
                "sentence": f"its train error ends at {fmt_share(error)} (always predicting the "
                            f"majority class: {fmt_share(1 - majority)})"}
    chance = chance_loss(prior) if prior is not None and len(prior) > 1 else regression_chance(run)
    if chance is None or not chance > 0:
        return None
    what = "the class prior" if prior is not None else "the targets' mean"
    return {"share": end_loss / chance, "train_loss_end": end_loss, "chance_loss": chance,
            "sentence": f"its train loss ends at {fmt(end_loss)}, {fmt_share(end_loss / chance)} of "
                        f"always predicting {what} ({fmt(chance)})"}


def _error_mismatch(run: Run, p: dict) -> list[Finding]:
    """Data mismatch from validation and test error rates alone (a log with no train accuracy:
    fresh14's scanner-B test set at 57% error beside validation at 2%)."""
    val = final_error(run, "val")
    test = run.context.get("test_error")
    test_from = "--test-error"
    if test is None:
        test, test_from = final_error(run, "test")
        if run.series(test_from).finite().steps[-1] < run.steps / 2:
            return []  # a test evaluated only in the run's first half is no end
    if val is None:
        return []
    mismatch = test - val[0]
    if mismatch < p["min_gap_no_bayes"] or mismatch <= val[0]:
        return []
    evidence = {"val_error": val[0], "test_error": test, "mismatch": mismatch,
                "val_error_from": val[1], "test_error_from": test_from}
    return [Finding("data_mismatch", Severity.WARNING,
                    summary=f"the test error ends at {test:.1%}, {mismatch * 100:.1f} points above the "
                            f"validation error ({val[0]:.1%}), more than the validation error itself "
                            f"(avoidable bias and variance together): {DRAWN_UNLIKE}",
                    evidence=evidence, params=p, steps=[0, run.steps])]
