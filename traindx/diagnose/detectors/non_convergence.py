"""non_convergence: the train loss does not go down enough, or sits at chance level."""
from __future__ import annotations

import math

import numpy as np

from ...runs.model import Run
from ..finding import Finding, NotJudged, Severity
from ..registry import detector
from ..thresholds import resolve
from .bayes_gap import end_value, final_error
from ..signals import (chance_loss, class_prior, fmt, fmt_pair, fmt_share, learned_well,
                       regression_chance, return_improved, robust_start_end, sorted_by_class,
                       squashed_loss_input, started_trained, train_losses, weighted_loss,
                       zero_saddle)


def _hand_written(run: Run) -> bool:
    """The train loss is what backward() ran on: no loss function was called."""
    train = train_losses(run)
    return bool(train) and all(loss.get("name") == "backward" for loss in train)


def _squash_floor(sq: dict) -> tuple[float, str] | None:
    """The lowest loss a twice-squashed input allows, and how it is said."""
    if sq["loss"] == "nll_loss":
        return -1.0, "the loss is minus the true class's probability (lowest -1)"
    if sq["squash"] == "sigmoid":
        return math.log1p(math.exp(-1)), (f"the loss cannot fall below {fmt(math.log1p(math.exp(-1)))} "
                                          f"on positives and {fmt(math.log(2))} on negatives")
    n = sq.get("classes")
    if not n or n < 2:
        return None
    floor = math.log1p((n - 1) / math.e)  # softmax outputs in [0, 1] as logits: at best e^1 vs e^0
    return floor, f"with {n} classes the loss cannot fall below {fmt(floor)}"


def _squashed_input(run: Run, tr, p: dict) -> Finding:
    """The model's output already went through the softmax/sigmoid the loss applies itself."""
    sq = squashed_loss_input(run)
    start, end = robust_start_end(tr) if len(tr) >= 2 else (float(tr.values[0]),) * 2
    floor = _squash_floor(sq)
    squash = "a softmax" if sq["squash"] == "softmax" else "a sigmoid"
    if sq["loss"] == "nll_loss":
        what = "nll_loss, which expects log-probabilities, is given probabilities (a softmax)"
    else:
        own = "log_softmax" if sq["squash"] == "softmax" else "a sigmoid"
        what = f"the model's outputs go through {squash} before {sq['loss']}, which applies {own} itself"
    start_s, end_s = fmt_pair(start, end)
    evidence = {"criterion": "squashed_input", "squash": sq["squash"], "loss": sq["loss"],
                "classes": sq.get("classes"), "start_loss": start, "end_loss": end,
                "loss_floor": floor[0] if floor else None}
    learned = learned_well(run, p["learned_share"])  # (then it cost calibration and speed)
    return Finding("non_convergence", Severity.WARNING if learned else Severity.ERROR,
                   summary=f"{what}: {floor[1] + ' and ' if floor else ''}its gradient flattens as "
                           f"the squash saturates; the train loss went from about {start_s} to "
                           f"{end_s}", evidence=evidence, params=p,
                   steps=[int(tr.steps[0]), int(tr.steps[-1])])


def _no_gradient_anywhere(run: Run, tr, p: dict) -> Finding | None:
    """Every parameter's gradient exactly zero at every measured step (three at least) while the
    optimiser steps: the loss does not depend on the weights (a round() or argmax in the forward
    pass, outputs detached and re-wrapped). No curve is needed: the weights cannot move."""
    t = run.params
    g = t.get("grad_norm") if t is not None else None
    if g is None or len(t) < 3 or not len(tr) or not np.isfinite(g).all() or g.any():
        return None
    if zero_saddle(run):
        return None  # tables that started at zero: poor_initialization's zero saddle, not a cut graph
    start, end = robust_start_end(tr) if len(tr) >= 2 else (float(tr.values[0]),) * 2
    start_s, end_s = fmt_pair(start, end)
    return Finding("non_convergence", Severity.ERROR,
                   summary=f"no parameter gets any gradient at any of the {len(t)} measured steps: "
                           f"the loss does not depend on the weights (a round(), argmax or detach "
                           f"between them and the loss, or outputs pinned where the loss clips them), "
                           f"so they never move; the train loss went "
                           f"from about {start_s} to {end_s} by the batches alone",
                   evidence={"criterion": "no_gradient", "measured_steps": len(t),
                             "start_loss": start, "end_loss": end}, params=p,
                   steps=[int(t.steps[0]), int(t.steps[-1])])


def _sorted_batches(run: Run, tr, p: dict) -> Finding | None:
    """Training batches each of (mostly) one class: see signals.sorted_by_class."""
    found = sorted_by_class(run, p)
    if found is None:
        return None
    batch, pooled, labels = found["batch_purity"], found["pooled_majority"], found["batch_labels"]
    counts = run.labels.get("train_counts")
    start, end = robust_start_end(tr) if len(tr) >= 2 else (float(tr.values[0]),) * 2
    start_s, end_s = fmt_pair(start, end)
    classes = sum(1 for c in counts if c > 0)
    learned = learned_well(run, p["learned_share"])
    return Finding("non_convergence", Severity.WARNING if learned else Severity.ERROR,
                   summary=f"the training batches are sorted by class: the median batch is "
                           f"{fmt_share(batch)} one class ({labels:.0f} labels), while the {classes} "
                           f"classes those batches hold have a majority of {fmt_share(pooled)}: each "
                           f"stretch of steps pulls the model towards one class and it forgets the "
                           f"others; the train loss went from about {start_s} to {end_s}",
                   evidence={"criterion": "unshuffled", **found, "start_loss": start, "end_loss": end},
                   params=p, steps=[int(tr.steps[0]), int(tr.steps[-1])])


def _accuracy_rose(run: Run, share: float) -> bool:
    """An accuracy (train first: its first points are the untrained model's) whose error ends at
    most `share` of its error at the start (the largest of its first three points: a model that
    learns fast is past it by the third)."""
    for name in ("train_acc", "eval_acc"):
        s = run.series(name)
        fin = s.finite() if s is not None else None
        if fin is None or len(fin) < 4:
            continue
        first = 1 - float(np.min(fin.values[:3]))
        end = 1 - float(np.median(fin.values[-max(3, len(fin) // 10):]))
        return first > 0 and end <= share * first
    return False


SEPARATE_OBJECTIVES = ("optimisers step in turn, each after its own loss (a GAN's discriminator and "
                       "generator): the recorded loss mixes objectives that need not fall")


def at_the_stated_floor(run: Run) -> bool:
    """The run ends at the Bayes error it states (--bayes-error, or a logged `bayes_err`): its best
    error (train or held-out) within bayes_gap's `min_gap` of it; or, for a floor stated on the
    loss (`bayes_mse`), its best loss under loss_floor_gap's `floor_factor` times the floor."""
    bayes, floor = run.context.get("bayes_error"), run.context.get("bayes_loss")
    if bayes is not None:
        errors = [e[0] for e in (final_error(run, "train"), final_error(run, "val")) if e is not None]
        return bool(errors) and min(errors) <= bayes + resolve("bayes_gap")["min_gap"]
    if floor is not None and floor > 0:
        ends = [v for v in (end_value(run.series("train_loss"), True), end_value(run.series("eval_loss"), False))
                if v is not None]
        return bool(ends) and min(ends) <= resolve("loss_floor_gap")["floor_factor"] * floor
    return False


@detector("non_convergence", needs=("train_loss",))
def non_convergence(run: Run, p: dict) -> list[Finding]:
    """What it detects: over at least `min_steps` steps the train loss fell less than `min_drop`
    of its starting value (or rose; of the chance level, for a run that started trained), or it
    ends at the loss of a model that predicts the class prior (chance level), or under an MSE loss
    at the targets' variance (predicting their mean).
    Not claimed when the accuracy shows the model learned its task (error at most `learned_share`
    of the majority-class error; held-out first): mixup, heavy augmentation or dropout keep a train
    loss high that says nothing then. On an epoch log with no accuracy, a loss
    that barely fell is a note: its first point comes after a whole epoch of training (unless it and
    the eval loss are identical to every digit over `motionless_points` epochs: weights that do not
    change); so is one
    of a loss written by hand with no accuracy (its floor is unknown); a step-level loss that fell
    `min_drop` from its first three points (as initialised), with an accuracy whose error ended at
    most `learned_share` of its first, reached its plateau within the first tenth: not claimed (with no
    accuracy, when it at least halved from its first points, a note: it converged early or fitted
    only the targets' mean). A loss that rose less
    than `min_drop` is flat, not rising. A loss that starts at or below zero (a density's or a
    Poisson NLL with an arbitrary offset) has no share to measure. Every parameter's gradient
    exactly zero at every measured step: the loss does not depend on the weights (error, whatever
    the curve). Not judged when optimisers step in turn, each after its own loss (a GAN): their
    mean is no one objective.
    Why it matters: the model is not learning; more epochs will not help."""
    if run.meta.get("separate_objectives"):
        raise NotJudged(SEPARATE_OBJECTIVES)
    tr = run.series("train_loss").finite()
    if len(tr) and squashed_loss_input(run):  # a mistake in the graph: no curve needed to see it
        return [_squashed_input(run, tr, p)]
    unshuffled = _sorted_batches(run, tr, p) if len(tr) else None
    if unshuffled is not None:
        return [unshuffled]
    cut = _no_gradient_anywhere(run, tr, p)
    if cut is not None:
        return [cut]
    epochs = run.unit == "epochs"  # 20 epochs are a whole training, 20 steps are not
    # (nor are 15 points of a log whose points are its logging intervals, spanning 6 epochs)
    whole = epochs or run.meta.get("epochs_spanned", 0) >= p["min_epochs_spanned"]
    if len(tr) < 8 or (not whole and int(tr.steps[-1] - tr.steps[0]) < p["min_steps"]
                       and len(tr) < p["min_steps"]):
        return []
    if learned_well(run, p["learned_share"]) or return_improved(run):
        return []  # (an RL run's loss chases moving targets: its return says it learns)
    if at_the_stated_floor(run):
        return []  # nothing more to learn than the task allows, whatever the loss did
    start, end = robust_start_end(tr)
    drop = (start - end) / abs(start) if start else 0.0
    evidence = {"start_loss": start, "end_loss": end, "relative_drop": drop,
                "steps": int(tr.steps[-1])}
    steps = [int(tr.steps[0]), int(tr.steps[-1])]
    prior = class_prior(run)
    acc = run.series("train_acc")
    end_acc = float(np.median(acc.finite().values[-max(3, len(acc) // 10):])) \
        if acc is not None and len(acc.finite()) else None
    if end_acc is not None:
        evidence["end_train_acc"] = end_acc
    # a loss that weighs the classes has another chance level than the prior's cross-entropy
    if prior is not None and len(prior) > 1 and not weighted_loss(run):
        chance = chance_loss(prior)
        majority = float(prior.max())
        evidence.update({"chance_loss": chance, "majority_rate": majority})
        at_chance = math.isfinite(chance) and end >= p["chance_margin"] * chance
        acc_at_chance = end_acc is not None and end_acc <= majority + p["acc_margin"]
        if at_chance and (end_acc is None or acc_at_chance):
            where = "about" if end <= 1.1 * chance else "above"
            evidence["criterion"] = "chance_level"
            return [Finding("non_convergence", Severity.ERROR,
                            summary=f"train loss ends around {fmt(end)} (median of the last points), "
                                    f"{where} the chance level {fmt(chance)} for {len(prior)} classes: "
                                    f"the model predicts no better than the class frequencies",
                            evidence=evidence, params=p, steps=steps)]
    mean_error = regression_chance(run) if prior is None else None
    if mean_error is not None and end >= p["chance_margin"] * mean_error:
        evidence.update({"chance_loss": mean_error, "criterion": "chance_level"})
        about = end <= 1.1 * mean_error
        return [Finding("non_convergence", Severity.ERROR,
                        summary=f"train loss ends around {fmt(end)} (median of the last points), "
                                f"{'about' if about else 'above'} the squared error of always predicting "
                                f"the targets' mean ({fmt(mean_error)}): " +
                                ("the model has learned their mean, not how they depend on the inputs"
                                 if about else "the model does worse than that constant"),
                        evidence=evidence, params=p, steps=steps)]
    if end_acc is not None and end_acc >= 0.9:
        return []  # learned the task already (e.g. fine-tuning from a good start)
    start_s, end_s = fmt_pair(start, end)
    unit = "epochs" if epochs else "steps"
    span = f"{steps[1]} {unit}" if epochs or "epochs_spanned" not in run.meta else \
        f"{run.meta['epochs_spanned']:.3g} epochs ({len(tr)} logged points)"
    if start <= 0:
        # a loss that starts at or below zero (a density's NLL, a Poisson NLL without its constant
        # term: -1.1e4 on counts in the thousands) carries an arbitrary offset: no share of its
        # start measures progress, rise or fall
        return []
    untrained = float(np.median(tr.values[:3]))
    fell_early = not epochs and untrained > start and (untrained - end) / untrained >= p["min_drop"]
    # a rise is one of `min_drop` of the loss, and of what it had learned when it fell from its
    # first points (a TD loss at 1e-5 after 7e-3 that drifts to 1.1e-5 gave back 0.1%: flat)
    rose = drop < -p["min_drop"] and not (fell_early and end - start < p["min_drop"] * (untrained - start))
    if rose:
        evidence["criterion"] = "loss_rose"
        return [Finding("non_convergence", Severity.ERROR,
                        summary=f"train loss rose from about {start_s} to about {end_s} (medians of "
                                f"the first and last points) over {span}",
                        evidence=evidence, params=p, steps=steps)]
    # the first tenth of a long step-level curve can span an epoch: a model that learned within it
    # (the loss of its first three points, as initialised, fell min_drop or more, and an accuracy
    # halved its first error) has a plateau after learning, not a loss that never went down
    # (fresh10: a churn MLP's log, 0.70 at step 0, 0.45 over the first tenth, 0.40 at the end, train
    # acc 42% -> 86%; fresh7's SGD at 1.5 also fell from its first points, a spike to 4.3, but its
    # accuracy stayed at chance)
    if fell_early and _accuracy_rose(run, p["learned_share"]):
        return []
    # a run that started trained (a fine-tune, a resumed training) had learned before it began:
    # how far it got is measured from the chance level (fresh3's GRU LM fine-tune at a low lr:
    # 1.95 -> 1.79 by design, the chance level 3.18)
    level = evidence.get("chance_loss") if prior is not None else mean_error
    if level and math.isfinite(level) and started_trained(tr, level) and \
            (level - end) / level >= p["min_drop"]:
        return []
    if drop < p["min_drop"]:
        moved = f"fell only {fmt_share(drop)}" if drop >= 0 else f"rose {fmt_share(-drop)}"
        # an epoch log's first point comes after a whole pass: a loss flat from there converged
        # within the first epoch or never moved; with no accuracy logged nothing tells which
        unsure = epochs and acc is None and run.series("eval_acc") is None
        tail = ("; an epoch log whose loss may have converged within its first epoch (no accuracy "
                "logged to tell: log the first epoch's steps or an accuracy)" if unsure else "")
        if unsure and _motionless(tr, p) and _motionless(run.series("eval_loss"), p):
            # a converged model's epoch means still move in their last digits (new batches, new
            # order); a train and an eval loss identical to every digit logged, epoch after epoch,
            # come from weights that do not change
            unsure = False
            tail = (f"; the train and eval losses are identical (to float32 rounding) over all "
                    f"{len(tr)} epochs: the weights do not change")
        # a step-level loss that fell from its first points (as initialised) within the first
        # tenth and stayed there, with no accuracy: converged early, or fitted only the targets'
        # mean; nothing tells which (fresh14: a DQN's TD loss 7e-3 -> 1e-5 by step 50, flat for
        # 3800 steps; an online regression at its noise floor)
        # (at least halved: `learned_share` of the way to zero, more than fitting a standardised
        # target's mean does: a broadcast MSE that learned only the mean fell 1.19 -> 0.93)
        halved = untrained > 0 and end <= p["learned_share"] * untrained
        if not unsure and fell_early and halved and acc is None and run.series("eval_acc") is None:
            unsure = True
            tail = (f"; it fell from {fmt(untrained)} at its first points to {start_s} within the "
                    f"first tenth of the run and stayed there: converged early, or fitted only the "
                    f"targets' mean (no accuracy logged to tell)")
        # a loss written by hand (a Cox partial likelihood, 2 - 2cos): its floor is unknown, so a
        # small relative fall says nothing without an accuracy to tell
        if not unsure and acc is None and run.series("eval_acc") is None and _hand_written(run):
            unsure = True
            tail = ("; a loss written by hand whose lowest possible value is unknown (no accuracy "
                    "logged to tell whether the model learned)")
        return [Finding("non_convergence", Severity.INFO if unsure else Severity.WARNING,
                        summary=f"train loss {moved} (from about {start_s} to about "
                                f"{end_s}, medians of the first and last points) over {span}"
                                f"{tail}",
                        evidence={**evidence, "first_epoch_unseen": unsure, "criterion": "small_drop"},
                        params=p, steps=steps)]
    return []


def _motionless(s, p: dict) -> bool:
    """At least `motionless_points` values, all equal up to float32 rounding (1e-6 of their value:
    the same batch losses summed in another order; fresh14's detached logits, 0.69146445 then
    0.69146444), each logged to 3 significant digits or more (a loss printed as 0.05 may hide a
    converged model's drift)."""
    v = s.finite().values if s is not None else ()
    if len(v) < p["motionless_points"] or float(v.max() - v.min()) > 1e-6 * max(abs(float(v[0])), 1e-12):
        return False
    digits = len(f"{abs(float(v[0])):.12g}".replace(".", "").lstrip("0").rstrip("0"))
    return digits >= 3


@detector("never_updated", problems=("non_convergence", "non_finite"))
def never_updated(run: Run, p: dict) -> list[Finding]:
    """What it detects: a recorded script that ran `min_backward` or more backward passes and no
    training step at all: no optimiser step, and no change of the weights after a backward pass
    (a loop that updates by hand counts its steps so). The gradients were computed and never
    applied: `optimizer.step()` is never reached (an accumulation condition that is never true, a
    step inside a branch that does not run) or steps another model's parameters.
    When at least `non_finite_share` of those passes started from a NaN/Inf loss, that is the
    cause (non_finite, error): a GradScaler skips every step whose gradients are not finite.
    Why it matters: the model is the initialised one at the end; nothing was learned."""
    passes = run.meta.get("backward_passes")
    if run.source_format != "traindx" or run.steps or not isinstance(passes, int) \
            or passes < p["min_backward"]:
        return []
    ev = run.series("eval_loss")
    ev = ev.finite() if ev is not None else None
    tail = ""
    if ev is not None and len(ev) >= 2:
        lo, hi = float(ev.values.min()), float(ev.values.max())
        flat = hi - lo <= 1e-6 * max(abs(hi), 1e-12)
        tail = (f"; the eval loss stayed at {fmt(lo)} over {len(ev)} evaluations" if flat
                else f"; the eval loss ranged {fmt(lo)}-{fmt(hi)} over {len(ev)} evaluations")
    bad = run.meta.get("backward_passes_non_finite") or 0
    found = [Finding("non_convergence", Severity.ERROR,
                     summary=f"the model was never updated: {passes} backward passes ran, and no "
                             f"optimiser step or change of the weights followed any of them{tail}",
                     evidence={"criterion": "never_updated", "backward_passes": passes,
                               "backward_passes_non_finite": bad, "optimiser_steps": 0},
                     params=p, steps=[0, 0])]
    if bad >= p["non_finite_share"] * passes:
        found.insert(0, Finding("non_finite", Severity.ERROR,
                                summary=f"{bad} of the {passes} backward passes started from a non-finite "
                                        f"loss (NaN/Inf) and no optimiser step was taken (a GradScaler "
                                        f"skips a step whose gradients are not finite): the loss is "
                                        f"non-finite from the first step",
                                evidence={"criterion": "never_updated", "backward_passes": passes,
                                          "backward_passes_non_finite": bad},
                                params=p, steps=[0, 0]))
    return found
