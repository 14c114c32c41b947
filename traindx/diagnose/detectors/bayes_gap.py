"""high_bias, high_variance, data_mismatch: the Bayes-gap analysis on a run's train/val errors
(1 - accuracy, or logged error series), with the Bayes error and test error from the run's context
(`--bayes-error`/`--human-error`, `--test-error`, or the run's metadata)."""
from __future__ import annotations

import numpy as np

from ...runs.model import Run
from ..bayes import analyse_gap, describe
from ..finding import Finding, Severity
from ..registry import detector

SOURCES = {"train": (("train_error", False), ("train_acc", True)),
           "val": (("eval_error", False), ("val_error", False), ("eval_acc", True)),
           "test": (("test_error", False), ("test_acc", True))}


def final_error(run: Run, which: str) -> tuple[float, str] | None:
    """The error at the end of the run: the median of the last points of an error series, or 1 -
    accuracy. Train accuracy is a running mini-batch average, so the last 10% of it counts."""
    for key, is_acc in SOURCES[which]:
        s = run.series(key)
        if s is None or not len(s.finite()):
            continue
        v = s.finite().values
        k = max(1, len(v) // 10) if which == "train" else min(2, len(v))
        value = float(np.median(v[-k:]))
        return (1.0 - value if is_acc else value), key
    return None


@detector("bayes_gap", needs=("train_acc|train_error", "eval_acc|eval_error|val_error"),
          problems=("high_bias", "high_variance", "data_mismatch"))
def bayes_gap(run: Run, p: dict) -> list[Finding]:
    """What it detects: which of avoidable bias (train - Bayes error), variance (val - train) and
    data mismatch (test - val) dominates, when it is at least `min_gap`; without a Bayes error only
    a variance above `min_gap_no_bayes` that exceeds the train error itself.
    Why it matters: each gap has its own plan; working on the wrong one wastes the effort."""
    train, val = final_error(run, "train"), final_error(run, "val")
    if train is None or val is None:
        return []
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
                                evidence={**evidence, "clearly_dominant": clear}, params=p, steps=steps))
    return findings
