"""The command line: a Typer app, one module per command."""
from __future__ import annotations

import sys
import traceback

import typer

from .common import EXIT_BROKEN_PIPE, quiet_stdout
from .diagnose_cmd import check_cmd, diagnose_cmd
from .explain_cmd import explain_cmd
from .remedies_cmd import remedies_cmd
from .run_cmd import run_cmd

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="traindx: why your PyTorch model is not training well, and what to do about it.")

SCRIPT_STYLE = {"allow_interspersed_args": False, "ignore_unknown_options": True}
app.command("run", context_settings=SCRIPT_STYLE)(run_cmd)
app.command("diagnose")(diagnose_cmd)
app.command("check")(check_cmd)
app.command("remedies")(remedies_cmd)
app.command("explain")(explain_cmd)


def _register_optional_commands() -> None:
    """Commands added by later modules (train, demo, inspect, bayes, tune, learning-curve)."""
    from . import extra
    extra.register(app)


_register_optional_commands()


EXIT_INTERNAL = 3        # a bug in traindx: never 1 (problems found) nor 2 (bad input)


def main() -> None:
    for stream in (sys.stdout, sys.stderr):  # an ASCII terminal gets '?' for '✔', not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    try:
        app()
    except KeyboardInterrupt:
        print("traindx: interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:  # stdout on a full disk or /dev/full, a file that cannot be written
        quiet_stdout()
        what = exc.filename or "the output"
        print(f"traindx: error: cannot write {what} ({exc.strerror or exc})", file=sys.stderr)
        sys.exit(2)
    except Exception:  # noqa: BLE001 (the last line of defence: say it is ours, and how to report)
        traceback.print_exc()
        print("traindx: internal error (a bug in traindx, not in your input): please report it "
              "with the traceback above", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
