"""`traindx run [OPTIONS] SCRIPT [ARGS...]`: an unmodified script under instrumentation."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import InputError
from ..record import Recorder
from ..record.script import default_out, run_script
from ..record.writer import unique_dir
from ..runs import load_runs
from ..report import document
from .common import (BayesError, FailOn, Format, HumanError, RulesFile, TestError, analyse, context,
                     emit, failing, handles_input_errors)


@handles_input_errors
def run_cmd(
    script: Path = typer.Argument(..., help="The training script, run as `python SCRIPT ARGS...` would run it."),
    args: Optional[List[str]] = typer.Argument(None, help="Arguments passed to the script unchanged."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run directory (default runs/<script>-<time>); never overwritten."),
    every: Optional[int] = typer.Option(None, "--every", help="Per-layer statistics every N steps (after a dense start)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown or github."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when problems reach this severity."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
) -> None:
    """Run a training script unmodified, record it, and print the diagnosis when it ends
    (also after Ctrl-C or a crash). Options go before SCRIPT; everything after it is the script's."""
    if not script.is_file():
        raise InputError(script, "no such script")
    if every is not None and every < 1:
        raise InputError("--every", f"must be at least 1, got {every}")
    ctx = context(bayes_error, human_error, test_error)
    path = unique_dir(out or default_out(script))
    recorder = Recorder(path, every=every, meta={"script": str(script), "context": ctx})
    if ctx:
        recorder.writer.event("context", **ctx)
    result = run_script(script, list(args or []), recorder)
    if recorder.rank != 0:  # other ranks record; rank 0 prints the merged diagnosis
        raise typer.Exit(result.exit_code)
    sys.stdout.write("\n")
    results = [(r, *analyse(r, ctx, rules)) for r in load_runs(path)]
    run, diag, plan = results[0]
    try:
        (path / "report.json").write_text(document.dumps(document.build(run, diag, plan)) + "\n")
    except OSError as exc:
        print(f"traindx: could not save {path / 'report.json'} ({exc.strerror})", file=sys.stderr)
    emit(results, format)
    if format == Format.text:
        print(f"run directory: {path}  (traindx diagnose {path})")
    if result.exit_code != 0:
        raise typer.Exit(result.exit_code)
    if failing([diag], fail_on):
        raise typer.Exit(1)
