"""`traindx remedies [PROBLEM]`: the rules table."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.syntax import Syntax
from rich.text import Text

from ..problems import CATEGORIES, PROBLEMS
from ..remedies import load_rules
from .common import RulesFile, console, error_exit, handles_input_errors


@handles_input_errors
def remedies_cmd(
    problem: Optional[str] = typer.Argument(None, help=f"One of: {', '.join(PROBLEMS)}."),
    rules: Optional[Path] = RulesFile,
    snippets: bool = typer.Option(True, "--snippets/--no-snippets", help="Show the PyTorch snippets."),
) -> None:
    """Print the rules table: every problem's remedies, or one problem's plan."""
    table = load_rules(rules)
    known = {r.problem for r in table}
    if problem is not None and problem not in known:
        raise error_exit(f"unknown problem {problem!r}; known: {', '.join(sorted(known))}")
    con = console()
    for prob in [problem] if problem else [p for p in PROBLEMS if p in known] + sorted(known - set(PROBLEMS)):
        con.print(Text(f"\n{prob}", style="bold"))
        rows = [r for r in table if r.problem == prob]
        for cat in CATEGORIES:
            for i, r in enumerate(rows, 1):
                if r.category != cat:
                    continue
                con.print(Text(f"  {i}. [{r.category}] ", style="dim") + Text(r.action, style="bold"))
                con.print(Text(f"     why: {r.why}"))
                if r.config_patch:
                    patch = ", ".join(f"{k}={v}" for k, v in r.config_patch.items())
                    con.print(Text(f"     traindx train patch: {patch}", style="dim"))
                if snippets:
                    con.print(Syntax(r.snippet.rstrip(), "python", theme="ansi_dark",
                                     background_color="default", padding=(0, 5)))
