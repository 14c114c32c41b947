"""GitHub workflow commands: one annotation per finding (notice for info), and a warning for a
run that could not be judged. Escaped as the runner expects: a property value (the run path,
`exp:lr=1,bs=2`) also escapes ':' and ','."""
from __future__ import annotations


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reports: list, options=None) -> str:
    lines = []
    for run, diagnosis, _ in reports:
        path = _prop(str(run.path))
        if not diagnosis.judged:
            msg = "not judged: " + "; ".join(diagnosis.not_judged_reasons)
            lines.append(f"::warning file={path},title={_prop('traindx not judged')}::{_data(msg)}")
        for f in diagnosis.findings:
            level = {"error": "error", "warning": "warning"}.get(f.severity.value, "notice")
            lines.append(f"::{level} file={path},title={_prop(f'traindx {f.problem}')}::{_data(f.summary)}")
    return "".join(line + "\n" for line in lines)
