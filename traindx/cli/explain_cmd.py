"""`traindx explain PROBLEM` (like `ruff rule`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .. import policy as policy_file
from ..errors import InputError
from ..explain import all_markdown, explain, markdown
from ..problems import PROBLEMS
from .common import Format, Lang, LangOption, console, handles_input_errors, only_formats


@handles_input_errors
def explain_cmd(
    problem: Optional[str] = typer.Argument(None, help=f"A problem id: {', '.join(PROBLEMS)}."),
    all_: bool = typer.Option(False, "--all", help="Every problem (the source of docs/diagnoses.md)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, markdown or json."),
    config: Optional[Path] = typer.Option(None, "--config", help="Policy file whose thresholds are shown as in effect."),
    lang: Lang = LangOption,
) -> None:
    """What a problem is, how traindx measures it (thresholds in effect), its causes and remedies."""
    only_formats(format, (Format.text, Format.markdown, Format.json), "explain")
    from rich.markdown import Markdown  # 65 ms to import: only for this command's text output
    if all_:
        text = all_markdown(lang.value)
        print(text) if format != Format.text else console().print(Markdown(text))
        return
    if problem not in PROBLEMS:
        raise InputError(problem or "PROBLEM", f"unknown problem; one of: {', '.join(PROBLEMS)}")
    policy, _ = policy_file.resolve(config)
    entry = explain(problem, policy.get("thresholds"), lang.value)
    if format == Format.json:
        print(json.dumps(entry, indent=2, default=str))
    elif format == Format.markdown:
        print(markdown(entry))
    else:
        console().print(Markdown(markdown(entry)))
