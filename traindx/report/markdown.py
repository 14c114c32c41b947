"""Markdown for PR comments and CI job summaries."""
from __future__ import annotations

from ..diagnose import Diagnosis
from ..runs.model import Run

ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}
VERDICT = {"healthy": "✅ healthy", "problems": "❌ problems", "not judged": "❔ not judged"}


def render(run: Run, diagnosis: Diagnosis, plan: list) -> str:
    verdict = VERDICT[diagnosis.verdict]
    lines = [f"### traindx: {verdict} — `{run.path}`", "",
             f"{run.steps} {run.unit}, {run.ended}, format `{run.source_format}`", ""]
    described = diagnosis.profile.describe() if diagnosis.profile is not None else ""
    if described:
        lines += [f"Setup: {described}", ""]
    if not diagnosis.judged:
        lines += ["**Not judged:** " + "; ".join(diagnosis.not_judged_reasons).replace("|", "/"), ""]
    if diagnosis.findings:
        lines += ["| | problem | finding |", "|---|---|---|"]
        for f in diagnosis.findings:
            cause = f" (caused by `{f.caused_by}`)" if f.caused_by else ""
            lines.append(f"| {ICON[f.severity.value]} {f.severity.value} | `{f.problem}` | "
                         f"{f.summary.replace('|', '/')}{cause} |")
        lines.append("")
    if plan:
        lines += ["**Remedy plan**", ""]
        for i, it in enumerate(plan, 1):
            answers = ", ".join(f"`{p}`" for p in [it.rule.problem, *it.also_for])
            tune = "tune: " if it.kind == "tune" else ""
            lines.append(f"{i}. {tune}**{it.action}** ({it.rule.category}, {answers}): "
                         f"{it.rule.why}")
        lines.append("")
    if diagnosis.skipped:
        lines.append("<details><summary>not checked</summary>\n")
        lines += [f"- `{s.detector}`: {s.reason}" for s in diagnosis.skipped]
        lines.append("\n</details>")
    return "\n".join(lines) + "\n"
