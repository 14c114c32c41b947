"""`traindx diagnose RUN` and `traindx check RUN...`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..runs import load_runs
from .common import (BayesError, FailOn, Format, HumanError, RulesFile, TestError, analyse, console,
                     context, emit, failing, handles_input_errors)


@handles_input_errors
def diagnose_cmd(
    run: Path = typer.Argument(..., help="A traindx run directory, a metrics CSV/JSONL, a Lightning "
                               "metrics.csv, a Keras CSVLogger file, a TensorBoard log, ..."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown or github."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 at this severity or above."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
) -> None:
    """Diagnose a logged run and print the report with its remedy plan."""
    ctx = context(bayes_error, human_error, test_error)
    results = [(r, *analyse(r, ctx, rules)) for r in load_runs(run)]
    emit(results, format)
    if failing([d for _, d, _ in results], fail_on):
        raise typer.Exit(1)


@handles_input_errors
def check_cmd(
    runs: List[Path] = typer.Argument(..., help="Run directories or log files (a folder of runs is searched)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown or github."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Exit 1 at this severity or above."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
) -> None:
    """The CI form of diagnose: one line per run, exit 1 when a run has problems at --fail-on."""
    ctx = context(bayes_error, human_error, test_error)
    results = [(r, *analyse(r, ctx, rules)) for path in runs for r in load_runs(path)]
    if format == Format.text:
        con = console()
        for r, d, _ in results:
            mark = "ok  " if d.verdict == "healthy" else ("FAIL" if failing([d], fail_on) else "warn")
            probs = ", ".join(f"{f.problem}({f.severity.value})" for f in d.findings
                              if f.severity.rank >= 1) or "healthy"
            con.print(f"{mark} {r.path}: {probs}" + (f" [{r.ended}]" if r.ended != "completed" else ""),
                      markup=False, highlight=False)
        bad = sum(failing([d], fail_on) for _, d, _ in results)
        con.print(f"{len(results)} run(s) checked, {bad} failing (--fail-on {fail_on.value})",
                  markup=False, highlight=False)
    else:
        emit(results, format)
    if failing([d for _, d, _ in results], fail_on):
        raise typer.Exit(1)
