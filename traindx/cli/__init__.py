"""The command line: a Typer app, one module per command."""
from __future__ import annotations

import sys

import typer

from .diagnose_cmd import check_cmd, diagnose_cmd
from .remedies_cmd import remedies_cmd
from .run_cmd import run_cmd

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="traindx: why your PyTorch model is not training well, and what to do about it.")

SCRIPT_STYLE = {"allow_interspersed_args": False, "ignore_unknown_options": True}
app.command("run", context_settings=SCRIPT_STYLE)(run_cmd)
app.command("diagnose")(diagnose_cmd)
app.command("check")(check_cmd)
app.command("remedies")(remedies_cmd)


def _register_optional_commands() -> None:
    """Commands added by later modules (train, demo, inspect, bayes, tune, learning-curve)."""
    from . import extra
    extra.register(app)


_register_optional_commands()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        print("traindx: interrupted", file=sys.stderr)
        sys.exit(130)
