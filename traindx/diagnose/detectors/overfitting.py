"""overfitting: the eval loss really rises while train keeps improving, or the generalisation gap
is large in absolute terms. A train loss going to zero while eval stays flat at its best is the
normal end of a good training, not overfitting."""
from __future__ import annotations

import math

import numpy as np

from ...runs.model import Run, Series
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import chance_loss, class_prior, fmt, fmt_pair, pooled_train_accuracy, value_near
from ..thresholds import resolve


def untrained_loss(run: Run, ev: Series, tr: Series) -> tuple[float, float]:
    """The loss of the model before it learned: the first eval, the first train losses or the
    chance-level loss, whichever is highest (the first eval may come after much training); and
    the chance-level loss alone (NaN when unknown)."""
    prior = class_prior(run)
    chance = chance_loss(prior) if prior is not None else math.nan
    first_train = float(np.median(tr.values[:3]))
    return float(np.nanmax([ev.values[0], first_train, chance])), chance


def _eval_acc_at_best(run: Run, margin: float) -> tuple[bool, dict]:
    """Whether eval accuracy is still at its best at the end (then a rising eval loss is mostly the
    model growing confident, not classifying worse), and the numbers."""
    ea = run.series("eval_acc")
    if ea is None or len(ea.finite()) < 2:
        return False, {}
    v = ea.finite().values
    best, last = float(v.max()), float(v[-2:].max())  # at its best on one of the last two evals
    return last >= best - margin, {"eval_acc_best": best, "eval_acc_last": last}


def _eval_acc_gained(run: Run, margin: float) -> bool:
    """Whether eval accuracy, where measured, ends `margin` above its first value."""
    ea = run.series("eval_acc")
    v = ea.finite().values if ea is not None else ()
    return len(v) >= 2 and float(v[-1]) > float(v[0]) + margin


def _plain_cross_entropy(run: Run) -> bool:
    """Whether the train loss is an unweighted cross-entropy of the labels, as far as the run
    says: a recorded run names its loss functions (a distillation's KL, a hand-written objective or
    class weights are not); a log does not, and its eval loss is checked against the bound instead."""
    losses = run.meta.get("losses")
    if not isinstance(losses, list):
        return True
    train = [x for x in losses if isinstance(x, dict) and x.get("train")]
    return bool(train) and all(x.get("kind") == "classification" and not x.get("weighted") for x in train)


@detector("overfitting", needs=("train_loss", "eval_loss"))
def overfitting(run: Run, p: dict) -> list[Finding]:
    """What it detects, while the train loss keeps falling below the eval loss:
    (rise) the eval loss has risen `min_rise` above its best for `patience` evaluations in a row,
    or ends `min_rise` above the untrained loss (worse than no training; error; the untrained loss
    is known at a run's first steps or as the chance level, not from an epoch log's first point),
    giving back at least `min_given_back` of what it had learned (from the untrained loss down to
    its best; at least half of it while eval accuracy, if measured, is still at its best), or, on
    an epoch log whose first eval is its best, ends `doubled_rise` above it with no eval-accuracy
    gain; or
    (gap) eval stalled with a large gap in absolute terms: train accuracy `acc_gap` above eval
    accuracy (a recorded run's train accuracy: its last sampled batches pooled over 200 labels;
    without one, the train error is at most the train cross-entropy / ln 2), or an eval loss nearer the untrained loss than the train loss (`loss_gap`, on each of
    the last `patience` evaluations; not on an epoch log without a chance level, whose first
    points already come after a pass of training) by a gap of at least `loss_gap_of_untrained` of
    the untrained loss (large in absolute terms, not only against a small fit).
    Never when the train loss is not `min_train_fit` below the untrained (chance) loss. Not a
    rise when early stopping ended the run within its patience of the best (a log of k folds that
    stopped at different lengths, each the same number of evaluations after its best).
    Why it matters: the model is fitting noise in the training set; more epochs make it worse."""
    ev = run.series("eval_loss").finite()
    tr = run.series("train_loss").finite()
    if len(ev) < p["min_evals"] or len(tr) < 2:
        return []
    best = int(np.argmin(ev.values))
    since_best = len(ev) - 1 - best
    if since_best < p["patience"]:
        return []
    best_loss = float(ev.values[best])
    last_loss = float(np.median(ev.values[-min(2, since_best):]))
    best_step, last_step = int(ev.steps[best]), int(ev.steps[-1])
    span = max(int(np.median(np.diff(ev.steps))) if len(ev) > 1 else 1, 1)
    train_at_best = value_near(tr, best_step, span)
    train_last = value_near(tr, last_step, span)
    train_drop = (train_at_best - train_last) / abs(train_at_best) if train_at_best else 0.0
    untrained, chance = untrained_loss(run, ev, tr)
    # the untrained level is known at a run's first steps or as the chance level; an epoch log's
    # first points come after a whole pass of training (its first eval is no untrained model)
    untrained_known = run.unit != "epochs" or math.isfinite(chance)
    learned = untrained - best_loss
    rise = (last_loss - best_loss) / abs(best_loss) if best_loss else 0.0
    given_back = (last_loss - best_loss) / learned if learned > 0 else math.nan
    evidence = {"best_eval_loss": best_loss, "best_eval_step": best_step, "last_eval_loss": last_loss,
                "eval_rise": rise, "evals_since_best": since_best, "untrained_loss": untrained,
                "given_back": given_back, "train_loss_at_best": train_at_best,
                "train_loss_last": train_last, "train_drop_since_best": train_drop,
                "untrained_known": untrained_known}
    # a run that early stopping ended (a log's folds stopped each its patience after their best):
    # the rise in those last evaluations is what stopped it, not a rise left running; the kept
    # model is the best (or that far past it); a gap in error at the stall still counts
    stopped_early = since_best <= run.meta.get("early_stopping_patience", -1)
    if stopped_early:
        evidence["early_stopping_patience"] = run.meta["early_stopping_patience"]
    if train_last >= best_loss:
        return []  # train loss above the best eval loss: no generalisation gap, just a noisy fit
    floor = min(untrained, chance) if math.isfinite(chance) else untrained
    if train_last >= floor - abs(floor) * p["min_train_fit"]:
        return []  # the model has not fitted its training data better than an untrained one
    at_best, acc = _eval_acc_at_best(run, p["acc_margin"])
    evidence.update(acc)
    # with eval accuracy still at its best, only a rise that gives back most of the learning counts
    needed = p["min_given_back"] if not at_best else max(p["min_given_back"], 0.5)
    reason = criterion = None
    tail = ev.values[-int(p["patience"]):]
    sustained = bool((tail >= best_loss * (1 + p["min_rise"] / 2)).all())
    if (not stopped_early and rise >= p["min_rise"] and sustained and given_back >= needed
            and train_drop >= p["train_still_falls"]):
        criterion = "eval_loss_rise"
        best_s, last_s = fmt_pair(best_loss, last_loss)
        reason = (f"eval loss rose {rise:.0%} from its best {best_s} at step {best_step} to {last_s} "
                  f"(giving back {given_back:.0%} of what it had learned from {fmt(untrained)}), while "
                  f"train loss fell {train_drop:.0%}")
        if acc and not at_best:
            reason += (f"; eval accuracy fell from its best {acc['eval_acc_best']:.1%} to "
                       f"{acc['eval_acc_last']:.1%}")
    if (reason is None and not stopped_early and not untrained_known and best == 0
            and rise >= p["doubled_rise"] and sustained
            and train_drop >= p["train_still_falls"] and not _eval_acc_gained(run, p["acc_margin"])):
        criterion = "eval_loss_doubled"
        best_s, last_s = fmt_pair(best_loss, last_loss)
        reason = (f"eval loss rose {rise:.0%} from its first evaluation {best_s} to {last_s} with no "
                  f"gain in eval accuracy, while train loss fell {train_drop:.0%}")
    # the eval loss ends above what an untrained model scores while the train loss fell: worse
    # than not training at all (an eval loss that never got below its start, then climbed)
    above = untrained * (1 + p["min_rise"])
    stays_above = bool((tail >= untrained * (1 + p["min_rise"] / 2)).all())
    if (reason is None and not stopped_early and untrained_known and last_loss >= above and stays_above
            and train_drop >= p["train_still_falls"]):
        criterion = "worse_than_untrained"
        reason = (f"eval loss ends at {fmt(last_loss)}, {last_loss / untrained:.3g}x the untrained "
                  f"loss {fmt(untrained)} (worse than no training), while train loss fell to "
                  f"{fmt(train_last)}")
    ea, ta = run.series("eval_acc"), run.series("train_acc")
    if reason is None and ea is not None and ta is not None and len(ta.finite()) and len(ea.finite()):
        # (a recorded run's sampled batches pooled: one batch of 4 all right is no train accuracy)
        pooled = pooled_train_accuracy(run, resolve("bayes_gap")["train_examples"])
        train_acc = pooled if pooled is not None else value_near(ta.finite(), last_step, span)
        gap = train_acc - float(ea.finite().values[-1])
        evidence["acc_gap"] = gap
        if gap >= p["acc_gap"]:
            criterion = "error_gap"
            reason = (f"eval stalled since step {best_step} while train accuracy is {gap * 100:.1f} "
                      f"points above eval accuracy ({float(ea.finite().values[-1]):.1%})")
    if reason is None and ea is not None and ta is None and len(ea.finite()) and train_last >= 0 \
            and _plain_cross_entropy(run):
        # no train accuracy, but a cross-entropy bounds the train error: a misclassified example
        # costs at least ln 2 (its label's probability is at most one half), so the error is at
        # most the mean loss / ln 2 (the PyTorch MNIST example's log: train loss 0.003, test 66%).
        # Only where the eval loss obeys the same bound (a distillation's KL does not)
        eval_error = 1.0 - float(ea.finite().values[-1])
        bound = min(train_last / math.log(2), 1.0)
        gap = eval_error - bound
        evidence.update(acc_gap=gap, train_error_bound=bound)
        if gap >= p["acc_gap"] and last_loss >= eval_error * math.log(2):
            criterion = "error_gap"
            reason = (f"eval stalled since step {best_step} with an eval error of "
                      f"{eval_error:.1%}, {gap * 100:.1f} points above the train "
                      f"error, which the train loss {fmt(train_last)} puts at {bound:.1%} at most (a "
                      f"misclassified example costs at least ln 2)")
    if reason is None and untrained > train_last and untrained_known:
        loss_gap = (last_loss - train_last) / (untrained - train_last)
        evidence["loss_gap"] = loss_gap
        # on each of the last evaluations: one last point 100x the one before it is another
        # quantity (a final evaluation in the targets' own units), not a stalled eval
        held = bool(((tail - train_last) / (untrained - train_last) >= p["loss_gap"]).all())
        # and large in absolute terms, against the untrained loss itself: a noisy target's model
        # that fitted its train set a little (0.36 against an untrained 0.50) and stalls at the
        # noise floor (0.445) is 59% "back up" with a gap of 16% of the untrained loss
        of_untrained = (last_loss - train_last) / untrained if untrained > 0 else math.nan
        evidence["loss_gap_of_untrained"] = of_untrained
        if loss_gap >= p["loss_gap"] and held and of_untrained >= p["loss_gap_of_untrained"] and \
                train_drop >= p["train_still_falls"] and not at_best:
            criterion = "loss_gap"
            reason = (f"eval loss stalled at {fmt(last_loss)} since step {best_step}, nearer the "
                      f"untrained loss {fmt(untrained)} than the train loss {fmt(train_last)} "
                      f"({loss_gap:.0%} of the way back up)")
    if reason is None:
        return []
    evidence["criterion"] = criterion
    # error: the eval loss is back at (or above) the untrained level, worse than no training (an
    # epoch log with no chance level knows only a lower bound of that level, its first eval: back
    # above it counts only with the eval loss doubled from its best; a skorch log's 0.105 -> 0.126
    # "gave back 113%" of a fall from 0.124 seen after epoch 1, its accuracy at its best)
    severity = Severity.ERROR if criterion == "worse_than_untrained" or (
        criterion == "eval_loss_rise" and given_back >= 1.0
        and (untrained_known or rise >= p["doubled_rise"])) else Severity.WARNING
    return [Finding("overfitting", severity, summary=reason, evidence=evidence, params=p,
                    steps=[best_step, last_step])]
