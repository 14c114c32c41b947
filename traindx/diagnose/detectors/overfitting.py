"""overfitting: eval loss rises or stalls while train loss keeps improving."""
from __future__ import annotations

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import chance_loss, class_prior, fmt, value_near


@detector("overfitting", needs=("train_loss", "eval_loss"))
def overfitting(run: Run, p: dict) -> list[Finding]:
    """What it detects: eval loss has not beaten its best for `patience` evaluations and has risen
    `min_rise` above it, while train loss kept falling (and sits below both the best eval loss and,
    for classification, the chance-level loss: the model does fit its training data); or eval
    stalled with a large gap to train (loss ratio or accuracy gap). Why it matters: the model is fitting noise in the training set;
    more epochs make it worse."""
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
    rise = (last_loss - best_loss) / abs(best_loss) if best_loss else 0.0
    evidence = {"best_eval_loss": best_loss, "best_eval_step": best_step, "last_eval_loss": last_loss,
                "eval_rise": rise, "evals_since_best": since_best,
                "train_loss_at_best": train_at_best, "train_loss_last": train_last,
                "train_drop_since_best": train_drop}
    if train_drop < p["train_still_falls"]:
        return []  # train stalled too: not overfitting (maybe non-convergence)
    if train_last >= best_loss:
        return []  # train loss above the best eval loss: no generalisation gap, just a noisy fit
    prior = class_prior(run)
    chance = chance_loss(prior) if prior is not None else float("nan")
    if train_last >= chance:
        return []  # the model has not fitted its training data better than chance
    reason = None
    if rise >= p["min_rise"]:
        reason = (f"eval loss rose {rise:.0%} from its best {fmt(best_loss)} at step {best_step} "
                  f"to {fmt(last_loss)}, while train loss fell {train_drop:.0%}")
    elif train_last > 0 and last_loss / train_last >= p["gap_ratio"]:
        evidence["eval_train_ratio"] = last_loss / train_last
        reason = (f"eval loss stalled at {fmt(last_loss)} since step {best_step}, "
                  f"{last_loss / train_last:.1f}x the train loss {fmt(train_last)}, which keeps falling")
    else:
        ea, ta = run.series("eval_acc"), run.series("train_acc")
        if ea is not None and ta is not None:
            gap = value_near(ta.finite(), last_step, span) - float(ea.finite().values[-1])
            evidence["acc_gap"] = gap
            if gap >= p["acc_gap"]:
                reason = (f"eval stalled since step {best_step} while train accuracy is "
                          f"{gap:.0%} above eval accuracy")
    if reason is None:
        return []
    severity = Severity.ERROR if rise >= 1.0 else Severity.WARNING
    return [Finding("overfitting", severity, summary=reason, evidence=evidence, params=p,
                    steps=[best_step, last_step])]
