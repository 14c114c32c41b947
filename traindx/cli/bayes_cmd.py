"""`traindx bayes`: the Bayes-gap analysis from numbers."""
from __future__ import annotations

import json
from typing import Optional

import typer

from ..diagnose.bayes import analyse_gap, describe
from ..diagnose.thresholds import resolve
from ..report.document import _clean
from .common import Format, console, error_exit, only_formats


def bayes_cmd(
    train_error: float = typer.Option(..., "--train-error", help="Training-set error rate, 0..1."),
    val_error: float = typer.Option(..., "--val-error", help="Validation (dev) error rate, 0..1."),
    bayes_error: Optional[float] = typer.Option(None, "--bayes-error", help="Bayes (irreducible) error rate, 0..1."),
    human_error: Optional[float] = typer.Option(None, "--human-error", help="Human-level error: a proxy for the Bayes error."),
    test_error: Optional[float] = typer.Option(None, "--test-error", help="Test (deployment-like) error rate, 0..1."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Which gap dominates, avoidable bias (train - Bayes), variance (val - train) or data mismatch
    (test - val), and the plan that follows."""
    only_formats(format, (Format.text, Format.json), "bayes")
    if bayes_error is not None and human_error is not None:
        raise error_exit("--bayes-error and --human-error: give one of them")
    p = resolve("bayes_gap")
    try:
        gap = analyse_gap(train_error, val_error, bayes_error if bayes_error is not None else human_error,
                          test_error, min_gap=p["min_gap"], min_gap_no_bayes=p["min_gap_no_bayes"])
    except ValueError as exc:
        raise error_exit(str(exc)) from None
    if format == Format.json:
        print(json.dumps(_clean({"schema": 1, "bayes_gap": gap.to_dict(),
                                 "thresholds": p}), indent=2))
        return
    con = console()
    base = "Bayes error" if human_error is None else "human-level error (Bayes proxy)"
    rows = [(base, gap.bayes_error), ("train error", gap.train_error), ("val error", gap.val_error)]
    if gap.test_error is not None:
        rows.append(("test error", gap.test_error))
    for label, value in rows:
        con.print(f"  {label:<34} {'unknown' if value is None else f'{value:.1%}'}")
    con.print()
    names = {"avoidable_bias": "avoidable bias (train - Bayes)", "variance": "variance (val - train)",
             "mismatch": "data mismatch (test - val)"}
    for key, value in gap.gaps().items():
        con.print(f"  {names[key]:<34} {value:+.1%}")
    con.print()
    con.print(describe(gap), highlight=False)
