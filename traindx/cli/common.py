"""What the commands share: option types, error handling, rendering and exit codes."""
from __future__ import annotations

import functools
import os
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from ..diagnose import Diagnosis
from ..errors import InputError
from ..report import Format, Options, render
from ..report.lang import Lang  # noqa: F401  (the commands' --lang type)


class StopOn(str, Enum):
    error = "error"
    warning = "warning"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def console(stderr: bool = False) -> Console:
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(stderr=stderr, no_color=no_color, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 110)


def error_exit(message: str, code: int = 2) -> "typer.Exit":
    print(f"traindx: error: {message}", file=sys.stderr)
    return typer.Exit(code)


EXIT_BROKEN_PIPE = 141   # the reader of our output went away (`| head`): 128 + SIGPIPE


def quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def writable_dir(path: Path, option: str) -> Path:
    """`path` created now (parents too), so that a folder that cannot be written is said before
    any training, not after all of it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".traindx-write-test-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise InputError(path, f"{option}: cannot write here ({exc.strerror})") from None
    return path


def writable_file(path: Path, option: str) -> Path:
    """`path` can be written as a file: not a directory, its folder writable (checked before any
    training)."""
    if path.is_dir():
        raise InputError(path, f"{option}: is a directory, expected a file name")
    writable_dir(path.parent if str(path.parent) else Path("."), option)
    return path


def handles_input_errors(fn: Callable) -> Callable:
    """Bad input ends in one line on stderr and exit code 2, never a traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise error_exit(str(exc)) from None
    return wrapper


BayesError = typer.Option(None, "--bayes-error", help="Bayes (irreducible) error rate, 0..1.")
HumanError = typer.Option(None, "--human-error", help="Human-level error rate: a proxy for the Bayes error.")
TestError = typer.Option(None, "--test-error", help="Error on the test (deployment-like) set, 0..1.")
RulesFile = typer.Option(None, "--rules", help="Extra rules YAML; its rows replace a problem's built-in rows.")


def context(bayes_error: Optional[float], human_error: Optional[float],
            test_error: Optional[float]) -> dict[str, float]:
    ctx = {}
    for key, value in (("bayes_error", bayes_error if bayes_error is not None else human_error),
                       ("test_error", test_error)):
        if value is not None:
            if not 0.0 <= value <= 1.0:
                raise InputError(f"--{key.replace('_', '-')}", f"must be an error rate in [0, 1], got {value}")
            ctx[key] = value
    return ctx


def failing(diagnoses: list[Diagnosis], fail_on: FailOn) -> bool:
    """Problems at or above `fail_on`, a run that could not be judged (SPEC: it fails too,
    unless --fail-on never), or a run traindx stopped (--stop-on)."""
    if fail_on == FailOn.never:
        return False
    need = 2 if fail_on == FailOn.error else 1
    return any(f.severity.rank >= need for d in diagnoses for f in d.findings) or \
        any(not d.judged or d.stopped for d in diagnoses)


LangOption = typer.Option(Lang.en, "--lang", help="Report language: en, or zh (the course's Chinese terms for "
                          "problems, categories and remedies; numbers and code unchanged).")


def only_formats(fmt: Format, allowed: tuple[Format, ...], command: str) -> None:
    """A command that prints its own document refuses the formats it does not write (exit 2),
    instead of printing text where a CI step expected annotations or XML."""
    if fmt not in allowed:
        raise error_exit(f"{command}: --format {fmt.value} is not available here; use "
                         f"{' or '.join(f.value for f in allowed)}")


def emit(results: list, fmt: Format, *, compact: bool = False, lang: Lang = Lang.en,
         fail_at: int | None = 2, out=None) -> None:
    """Print the reports in `fmt` (report/: one renderer per format). JSON: one document for one
    run, a list for several; junit outside `check`: failures at error, as check's default."""
    out = out or sys.stdout
    tty = out.isatty() if hasattr(out, "isatty") else False
    options = Options(lang=Lang(lang).value, compact=compact, color=tty and not os.environ.get("NO_COLOR"),
                      width=shutil.get_terminal_size().columns if tty else 110, fail_at=fail_at)
    out.write(render(results, fmt, options))
