"""`traindx diagnose RUN` and `traindx check RUN...`."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .. import policy as policy_file
from ..analysis import analyse
from ..report import github
from ..runs import collect_unreadable, load_runs
from ..runs.formats import columns
from . import ci_output
from .common import (BayesError, FailOn, Format, HumanError, Lang, LangOption, RulesFile, TestError, console,
                     context, emit, failing, handles_input_errors)

FORMATS_HELP = ("A traindx run directory, a metrics CSV/JSONL, a Lightning metrics.csv (or its "
                "version_N folder), a Keras CSVLogger file, a Hugging Face trainer_state.json (or output "
                "folder), an MLflow mlruns folder, a TensorBoard event file or folder; a folder of "
                "runs is searched.")
MapOption = typer.Option(None, "--map", metavar="NAME=COLUMN",
                         help="Read COLUMN as the signal NAME (train_loss, eval_loss, train_acc, eval_acc, "
                              "lr, grad_norm, test_loss, test_acc, step, epoch). Repeatable.")
ConfigOption = typer.Option(None, "--config", help="Policy file (traindx.yaml or pyproject.toml); "
                            "default: the nearest one from the current directory.")


def _load(paths: list[Path], mapping: dict[str, str]):
    """Runs at every path (a folder's unreadable logs are listed, not fatal) and those skipped."""
    runs = []
    with columns.overrides(mapping), collect_unreadable() as skipped:
        for path in paths:
            runs.extend(load_runs(path))
    for exc in skipped:
        print(f"traindx: warning: {exc} (skipped)", file=sys.stderr)
    return runs, list(skipped)


def _setup(config: Optional[Path], map_: Optional[List[str]]) -> tuple[dict, dict[str, str]]:
    policy, _ = policy_file.resolve(config)
    mapping = {**policy.get("map", {}), **columns.parse_map(map_)}
    return policy, mapping


@handles_input_errors
def diagnose_cmd(
    run: Path = typer.Argument(..., help=FORMATS_HELP),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown, github or html (one self-contained file: `> report.html`)."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 at this severity or above (a run that could not be judged fails too, unless never)."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
    map_: Optional[List[str]] = MapOption, config: Optional[Path] = ConfigOption,
    follow_: bool = typer.Option(False, "--follow", help="Follow a run another process is writing: redraw every 2 s until it ends, then print the report."),
    idle: float = typer.Option(60.0, "--idle", help="With --follow: stop after this many seconds without new records (a log has no end record)."),
    lang: Lang = LangOption,
) -> None:
    """Diagnose a logged run and print the report with its remedy plan."""
    ctx = context(bayes_error, human_error, test_error)
    policy, mapping = _setup(config, map_)

    def diagnosed() -> list:
        runs, _ = _load([run], mapping)
        return [analyse(r, ctx, rules, policy) for r in runs]

    if follow_:
        from .follow import follow  # waits up to --idle seconds for RUN to appear
        results = follow(run, diagnosed, console(stderr=True), idle=idle) or diagnosed()
    else:
        results = diagnosed()
    emit(results, format, lang=lang)
    if failing([d for _, d, _ in results], fail_on):
        raise typer.Exit(1)


@handles_input_errors
def check_cmd(
    runs: List[Path] = typer.Argument(..., help="Run directories or log files (a folder of runs is "
                                      "searched)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown, html (all runs in one file), junit (XML test report) or github "
                                  "(annotations; Markdown summary to $GITHUB_STEP_SUMMARY)."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", help="Exit 1 at this severity or above, or when a "
                                             "run could not be judged (unless never) "
                                             "[default: the policy file's fail_on, else error]."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
    map_: Optional[List[str]] = MapOption, config: Optional[Path] = ConfigOption,
    lang: Lang = LangOption,
) -> None:
    """The CI form of diagnose: one line per run and a summary; exit 1 when a run has problems at
    --fail-on, or could not be judged (nothing recorded, too short) unless --fail-on never."""
    ctx = context(bayes_error, human_error, test_error)
    policy, mapping = _setup(config, map_)
    fail_on = fail_on or FailOn(policy.get("fail_on", "error"))
    found, skipped = _load(runs, mapping)
    results = [analyse(r, ctx, rules, policy) for r in found]
    marks = [ci_output.status(d, lambda ds: failing(ds, fail_on)) for _, d, _ in results]
    if format in (Format.text, Format.github):
        for (r, d, _), mark in zip(results, marks):  # plain print: CI lines must not wrap
            print(ci_output.run_line(r, d, mark))
        print(ci_output.summary_line(marks, len(skipped), fail_on.value,
                                     ci_output.count_not_judged(results)))
        if format == Format.github:
            sys.stdout.write(github.render(results))
            ci_output.write_step_summary(ci_output.markdown_summary(results, marks, skipped, fail_on.value,
                                                                    lang.value))
    elif format == Format.markdown:
        print(ci_output.markdown_summary(results, marks, skipped, fail_on.value, lang.value))
    else:
        emit(results, format, lang=lang, fail_at={FailOn.error: 2, FailOn.warning: 1}.get(fail_on))
    if "FAIL" in marks:
        raise typer.Exit(1)
