"""Report renderers, one module per output format, each with one `render(reports, options) -> str`
over the analysis core's reports ([Report(run, diagnosis, plan)]). Adding a format is one module
and one line in `Format` and in `render`'s table."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from enum import Enum
from typing import Sequence


class Format(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    html = "html"
    junit = "junit"


@dataclass(frozen=True)
class Options:
    lang: str = "en"  # "zh": the course's Chinese terms (report/lang.py)
    compact: bool = False  # text: verdict and findings only
    color: bool = False  # text: ANSI colours
    width: int = 110  # text: the console width
    fail_at: int | None = 2  # junit: the severity rank that fails a run (None: nothing fails)


MODULES = {Format.text: "terminal", Format.json: "document", Format.markdown: "markdown",
           Format.github: "github", Format.html: "html", Format.junit: "junit"}


def render(reports: Sequence, fmt: Format, options: Options = Options()) -> str:
    # only the format asked for is imported: the end of a `traindx run` waits for it
    module = importlib.import_module(f".{MODULES[Format(fmt)]}", __package__)
    return module.render(list(reports), options)
