"""What the commands share: option types, error handling, rendering and exit codes."""
from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from ..diagnose import Diagnosis
from ..errors import InputError
from ..report import document, html, junit, markdown, terminal
from ..runs.model import Run


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    html = "html"
    junit = "junit"


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


def github_annotations(results: list[tuple[Run, Diagnosis, list]], out=None) -> None:
    """GitHub workflow commands: one annotation per finding (notice for info), and a warning for a
    run that could not be judged."""
    out = out or sys.stdout

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    for r, d, _ in results:
        if not d.judged:
            msg = "not judged: " + "; ".join(d.not_judged_reasons)
            print(f"::warning file={prop(r.path)},title={prop('traindx not judged')}::{data(msg)}", file=out)
        for f in d.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity.value, "notice")
            print(f"::{level} file={prop(r.path)},title={prop(f'traindx {f.problem}')}::{data(f.summary)}",
                  file=out)


def emit(results: list[tuple[Run, Diagnosis, list]], fmt: Format, *, compact: bool = False,
         out=None) -> None:
    """Print the results in `fmt`. JSON: one document for one run, a list for several."""
    out = out or sys.stdout
    if fmt == Format.json:
        docs = [document.build(r, d, p) for r, d, p in results]
        print(document.dumps(docs[0] if len(docs) == 1 else docs), file=out)
    elif fmt == Format.markdown:
        print("\n".join(markdown.render(r, d, p) for r, d, p in results), file=out)
    elif fmt == Format.github:
        github_annotations(results, out)
    elif fmt == Format.html:  # one self-contained file; several runs one after another
        print(html.render(results), file=out, end="")
    elif fmt == Format.junit:  # outside `check`: failures at error, as check's default
        print(junit.render(results, 2), file=out, end="")
    else:
        con = console()
        for r, d, p in results:
            terminal.render(con, r, d, p, compact=compact)
