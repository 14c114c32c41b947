"""Diagnosis: detectors (pure functions of a Run) and the story that orders their findings."""
from __future__ import annotations

import numpy as np

from ..runs.model import Run
from . import detectors  # noqa: F401  (registers the detectors)
from . import profile
from .finding import VERDICTS, Diagnosis, Finding, Severity, Skipped
from .detectors.bayes_gap import ERROR_RATE_SIGNALS
from .registry import DETECTORS, run_detectors
from .story import order
from .thresholds import resolve

# Training steps (train-loss points, or optimiser steps when no loss was captured) a run needs
# before "no problem found" means "healthy". The loss-trend detectors need as many (min_points).
MIN_JUDGED_STEPS = 8

_ENDINGS = {"completed": "the script ended", "exception": "the script stopped with an error",
            "exited": "the script exited with a non-zero code",
            "interrupted": "the run was interrupted (Ctrl-C or SIGTERM)",
            "stopped": "traindx stopped the run (--stop-on)",
            "abrupt": "the run ended abruptly (killed or crashed)"}


MIN_CURVE = 3  # evaluations that make a curve (one at the end is a final score)


def diagnose(run: Run, thresholds: dict[str, dict] | None = None,
             ignore: set[str] | None = None, exit_code: int | None = None,
             severity: dict[str, str] | None = None) -> Diagnosis:
    """Run every detector on `run`. `exit_code` (the script's, when the caller knows it; else
    `run.meta["exit_code"]` if a reader put it there) only words the not-judged reasons.
    `severity` (problem -> level) overrides a policy sets; applied before the story is ordered,
    which ranks findings by severity."""
    _test_split_as_validation(run)
    _logged_reference(run)
    findings, skipped = run_detectors(run, thresholds)
    findings = [f for f in findings if f.problem not in (ignore or set())]
    for f in findings:
        if f.problem in (severity or {}):
            f.severity = Severity(severity[f.problem])
    diag = Diagnosis(order(findings), skipped, limits(run, skipped, exit_code), profile=profile.build(run))
    if run.ended == "stopped":
        diag.stopped = run.meta.get("stop_reason") or "stopped by traindx"
    _hold_live_alerts(run, diag)
    return diag


def _test_split_as_validation(run: Run) -> None:
    """A script that evaluates its test split during training and no other (the PyTorch examples
    print "Test set: Average loss ..." every epoch) has that split as its held-out curve: it is
    read as the validation curve, and the report says so."""
    if run.has("eval_loss") or run.has("eval_acc"):
        return
    curves = {kind: run.series(f"test_{kind}") for kind in ("loss", "acc")}
    curves = {kind: s for kind, s in curves.items() if s is not None and len(s.finite()) >= MIN_CURVE}
    if not curves:
        return
    for kind, s in curves.items():
        run.scalars[f"eval_{kind}"] = s
    run.notes.append(f"the test split was evaluated {max(len(s) for s in curves.values())} times during "
                     "training and no validation split: its curve is read as the validation curve")


def _logged_reference(run: Run) -> None:
    """A Bayes error (or human-level error) the run logs beside its curves, when none was given
    (--bayes-error): the reference of the Bayes-gap analysis. `bayes_err` on the scale of the run's
    error rate (used only where it keeps one: 0.01 beside a regression's MSE could be either);
    `bayes_mse` on its loss's (`bayes_loss`: the floor a regression's MSE can reach)."""
    for key, scale in (("bayes_error", "error rate"), ("bayes_loss", "loss")):
        s = run.series(key)
        fin = s.finite() if s is not None else None
        if fin is None or not len(fin) or key in run.context:
            continue
        value = float(fin.values[-1])
        if key == "bayes_error" and not (any(run.series(k) is not None for k in ERROR_RATE_SIGNALS)
                                         and 0.0 <= value <= 1.0):
            run.notes.append(f"a logged Bayes error ({value:g}) beside no error rate: not used (on the "
                             f"scale of the loss, name it `bayes_mse` or `bayes_loss`)")
            continue
        if value < 0:
            continue
        run.context[key] = value
        run.notes.append(f"the Bayes error the run logs ({value:g}, on the scale of its {scale}) is the "
                         f"reference of the bias/variance analysis")


def _hold_live_alerts(run: Run, diag: Diagnosis) -> None:
    """Early verdicts that hold: a finding raised live carries the step it was first seen; a live
    alert the whole-run diagnosis does not confirm is said in the notes, never dropped silently."""
    alerts = {}
    for a in run.meta.get("alerts", []):
        if a["problem"] not in alerts or (a["step"] or 0) < (alerts[a["problem"]]["step"] or 0):
            alerts[a["problem"]] = a
    found = {f.problem: f for f in diag.findings}
    for problem, a in alerts.items():
        if problem in found:
            found[problem].evidence["first_seen_live_step"] = a["step"]
        else:
            run.notes.append(f"raised live at step {a['step']} ({problem}: {a['message']}), not confirmed "
                             f"by the diagnosis of the whole run")


def _exit_code(run: Run, exit_code: int | None) -> int | None:
    code = run.meta.get("exit_code") if exit_code is None else exit_code
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _ending(run: Run, code: int | None) -> str:
    """How the run ended, in words: "the script ended (exit 2)"."""
    if code:
        return f"the script ended (exit {code})"
    return _ENDINGS.get(run.ended, "the run ended")


def _distinct_steps(run: Run, name: str) -> int:
    s = run.series(name)
    return 0 if s is None else len(np.unique(s.finite().steps))


def limits(run: Run, skipped: list[Skipped], exit_code: int | None = None) -> list[str]:
    """Why this run cannot be judged healthy, or [] when it can (SPEC: a run that could not be
    judged is never reported as healthy). The rule:

    - a checkpoint inspection (`run.weights`) is judged on its weights: no limits;
    - no training signal at all (no train-loss point, no per-layer gradient or activation
      statistics): not judged, and the reason says how the run ended (exit code, status);
    - per-layer statistics but no train loss: not judged;
    - fewer than MIN_JUDGED_STEPS training steps (distinct train-loss steps; without a train loss,
      the optimiser steps or sampled per-layer steps): not judged;
    - every detector skipped for missing signals: not judged.

    A finding at warning or error still makes the verdict "problems" (Diagnosis.verdict)."""
    if run.weights is not None:
        return []
    reasons: list[str] = []
    code = _exit_code(run, exit_code)
    n_loss = _distinct_steps(run, "train_loss")
    n_stats = max((len(t) for t in (run.params, run.activations) if t is not None), default=0)
    clean_end = run.ended == "completed" and not code
    if not n_loss and not n_stats:
        if run.source_format == "traindx" and run.steps == 0:
            if clean_end:
                reasons.append("no training step was recorded: the script ran to its end without a "
                               "step traindx could see (it counts torch.optim optimiser steps, Keras "
                               "3 fit batches, and backward passes in a loop that updates by hand)")
            else:
                reasons.append(f"no training step was recorded: {_ending(run, code)} before its "
                               "first optimiser step")
        elif run.source_format == "traindx":
            before = "" if clean_end else f" before {_ending(run, code)}"
            reasons.append(f"{run.steps} optimiser steps ran{before} but no train loss or per-layer "
                           f"statistics were recorded")
        else:
            found = sorted(run.scalars)
            reasons.append("the log holds no training signal: no train loss and no per-layer "
                           "statistics" + (f" (it has {', '.join(found)})" if found else ""))
    elif not n_loss:
        # per-layer statistics alone: a run whose training loss nobody saw cannot be called healthy
        reasons.append("no train loss was recorded (no loss function call or backward() traindx "
                       "could see): non-convergence, overfitting and the learning rate could not be "
                       "judged")
    else:
        phase = run.meta.get("phase")  # several models trained in turn: the one judged
        total = phase[1] - phase[0] + 1 if phase else run.steps
        n = n_loss or (total if total > 0 else n_stats)
        if n < MIN_JUDGED_STEPS:
            steps = n_loss == 0 or (run.source_format == "traindx" and total <= n_loss)
            what = "training step" if steps else "train-loss point"
            over = "" if steps or total <= n else f" over {total} steps"
            if phase:
                over += f" in the last of the models trained in turn (steps {phase[0]}-{phase[1]})"
            before = "" if clean_end else f" before {_ending(run, code)}"
            reasons.append(f"only {n} {what}{'s were' if n != 1 else ' was'} recorded{over}{before}; "
                           f"at least {MIN_JUDGED_STEPS} are needed to judge")
        elif _loss_alone_too_short(run):
            span = _loss_span(run)
            reasons.append(f"the log holds a train loss alone over {span} steps: a loss alone needs "
                           f"{_loss_alone_steps()} steps to judge (a crashed first attempt, say)")
    if not reasons and skipped and len(skipped) == len(DETECTORS) \
            and all(s.reason.startswith("no ") for s in skipped):
        reasons.append("no detector could run: this run lacks the signals every detector needs")
    return reasons


BESIDE_THE_LOSS = ("eval_loss", "eval_acc", "train_acc", "grad_norm", "grad_norm_preclip", "train_return")


def _loss_span(run: Run) -> int:
    tr = run.series("train_loss").finite()
    return int(tr.steps[-1] - tr.steps[0]) if len(tr) else 0


def _loss_alone_too_short(run: Run) -> bool:
    """A log (not a recorded run) on a step axis whose only signal is a train loss spanning fewer
    than the loss-curve detectors need: no detector can judge it, so it is not called healthy."""
    if run.source_format == "traindx" or run.unit != "steps" or run.series("train_loss") is None \
            or run.has("params") or run.has("activations") or any(run.has(k) for k in BESIDE_THE_LOSS):
        return False
    return _loss_span(run) < _loss_alone_steps()


def _loss_alone_steps() -> int:
    """The steps the loss-curve detectors need to judge a loss (non_convergence's `min_steps`)."""
    return int(resolve("non_convergence")["min_steps"])


__all__ = ["DETECTORS", "MIN_JUDGED_STEPS", "VERDICTS", "Diagnosis", "Finding", "Severity",
           "Skipped", "diagnose", "limits"]
