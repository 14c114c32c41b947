"""`traindx run [OPTIONS] SCRIPT [ARGS...]`: an unmodified script under instrumentation."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from ..analysis import analyse
from ..errors import InputError
from ..record.writer import claim_dir, env_number, launch_env
from ..remedies import load_rules
from ..runs import load_runs
from ..report import document
from .common import (EXIT_BROKEN_PIPE, BayesError, StopOn, FailOn, Format, HumanError, Lang, LangOption,
                     RulesFile, TestError, context, emit, failing, handles_input_errors, quiet_stdout)


@handles_input_errors
def run_cmd(
    script: Path = typer.Argument(..., help="The training script, run as `python SCRIPT ARGS...` would run it."),
    args: Optional[List[str]] = typer.Argument(None, help="Arguments passed to the script unchanged."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run directory (default runs/<script>-<time>); never overwritten."),
    every: Optional[int] = typer.Option(None, "--every", help="Per-layer statistics every N steps (after a dense start)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown, github, html or junit."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when problems reach this severity (a run that could not be judged fails too, unless never)."),
    stop_on: Optional[StopOn] = typer.Option(None, "--stop-on", help="End the training at the next step boundary when a live alert reaches this severity (exit code 4)."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
    lang: Lang = LangOption,
) -> None:
    """Run a training script unmodified, record it, and print the diagnosis when it ends
    (also after Ctrl-C or a crash). Options go before SCRIPT; everything after it is the script's."""
    from ..record import Recorder  # torch is imported only when a script is run
    from ..integrations import zero_code
    from ..live import Monitor
    from ..record.script import default_out, run_script

    if not script.is_file():
        raise InputError(script, "no such script")
    if every is not None and every < 1:
        raise InputError("--every", f"must be at least 1, got {every}")
    ctx = context(bayes_error, human_error, test_error)
    launch_env()  # a bad $RANK or $WORLD_SIZE: one line, before a directory is claimed
    if rules is not None:
        load_rules(rules)  # a bad rules file is said now, not after a whole training
    env_number("TRAINDX_RANK_WAIT", 30, whole=False)
    path = claim_dir(out or default_out(script))
    if out is not None and path != out:
        print(f"traindx: {out} already holds a run; this run goes to {path}", file=sys.stderr)
    recorder = Recorder(path, every=every, meta={"script": str(script), "context": ctx})
    recorder.listeners.append(Monitor(stop_on=stop_on.value if stop_on else None))  # alerts on stderr
    if ctx:
        recorder.writer.event("context", **ctx)
    frameworks = zero_code.install()  # Lightning / HF Trainers get the callback (no import here)
    try:
        result = run_script(script, list(args or []), recorder)
    finally:
        zero_code.uninstall(frameworks)
    if recorder.rank != 0:  # other ranks record; rank 0 prints the merged diagnosis
        raise typer.Exit(result.exit_code)
    _wait_for_ranks(path)
    try:
        runs = load_runs(path)
    except InputError:
        if not recorder.writer.broken:
            raise
        print(f"traindx: error: {path}: nothing to diagnose, the run directory could not be written "
              f"({recorder.writer.broken})", file=sys.stderr)
        raise typer.Exit(result.exit_code or 2) from None
    if recorder.writer.broken:  # a full disk: the files stop early, but how the script ended is known
        for r in runs:
            r.notes.append(f"recording stopped early, the run directory could not be written "
                           f"({recorder.writer.broken}); the diagnosis covers what reached it")
            if r.ended == "abrupt":
                r.ended = result.status
    results = [analyse(r, ctx, rules, exit_code=result.exit_code) for r in runs]
    run, diag, plan = results[0]
    try:
        (path / "report.json").write_text(document.dumps(document.build(run, diag, plan)) + "\n")
    except OSError as exc:
        print(f"traindx: could not save {path / 'report.json'} ({exc.strerror})", file=sys.stderr)
    try:  # the run and report.json are saved: a reader that went away (`| head`) loses only this
        sys.stdout.write("\n")
        emit(results, format, lang=lang)
        if format == Format.text:
            print(f"run directory: {path}  (traindx diagnose {path})")
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
        raise typer.Exit(result.exit_code or EXIT_BROKEN_PIPE) from None
    if result.exit_code != 0:
        raise typer.Exit(result.exit_code)
    if failing([diag], fail_on):
        raise typer.Exit(1)


def _wait_for_ranks(path: Path) -> None:
    """Under torchrun, give the other ranks a moment to write their end records (no collective:
    a rank that never finishes must not hang rank 0). A rank still missing is read as abrupt."""
    world = launch_env()[1]
    deadline = time.monotonic() + env_number("TRAINDX_RANK_WAIT", 30, whole=False)
    waiting = set(range(1, world))
    while waiting and time.monotonic() < deadline:
        waiting = {r for r in waiting if not _has_ended(path / f"events.rank{r}.jsonl")}
        if waiting:
            time.sleep(0.1)
    if waiting:
        print(f"traindx: rank(s) {', '.join(map(str, sorted(waiting)))} had not finished; "
              "diagnosing what they recorded so far", file=sys.stderr)


def _has_ended(events: Path) -> bool:
    try:
        with open(events, "rb") as f:
            f.seek(max(f.seek(0, 2) - 4096, 0))
            return b'"event": "end"' in f.read()
    except OSError:
        return False
