"""Markdown for PR comments and CI job summaries."""
from __future__ import annotations

from ..diagnose import Diagnosis
from ..runs.model import Run
from .lang import category, problem, say

ICON = {"error": "🔴", "warning": "🟡", "info": "🔵"}
VERDICT = {"healthy": "✅ healthy", "problems": "❌ problems", "not judged": "❔ not judged"}


def render(reports: list, options) -> str:
    return "\n".join(report(run, diagnosis, plan, options.lang) for run, diagnosis, plan in reports)


def report(run: Run, diagnosis: Diagnosis, plan: list, lang: str = "en") -> str:
    """One run's report: the verdict, the findings table, the remedy plan, what was not checked."""
    icon, word = VERDICT[diagnosis.verdict].split(" ", 1)
    verdict = f"{icon} {say(word, lang)}"
    lines = [f"### traindx: {verdict} — `{run.path}`", "",
             f"{run.steps} {run.unit}, {run.ended}, format `{run.source_format}`", ""]
    described = diagnosis.profile.describe() if diagnosis.profile is not None else ""
    if described:
        lines += [f"{say('Setup', lang)}: {described}", ""]
    if not diagnosis.judged:
        lines += [f"**{say('Not judged', lang)}:** " + "; ".join(diagnosis.not_judged_reasons).replace("|", "/"), ""]
    if diagnosis.findings:
        lines += [f"| | {say('problem', lang)} | {say('finding', lang)} |", "|---|---|---|"]
        for f in diagnosis.findings:
            cause = f" ({say('caused by', lang)} `{f.caused_by}`)" if f.caused_by else ""
            lines.append(f"| {ICON[f.severity.value]} {say(f.severity.value, lang)} | "
                         f"{_name(f.problem, lang)} | {f.summary.replace('|', '/')}{cause} |")
        lines.append("")
    if plan:
        lines += [f"**{say('Remedy plan', lang)}**", ""]
        for i, it in enumerate(plan, 1):
            answers = ", ".join(_name(p, lang) for p in [it.rule.problem, *it.also_for])
            tune = f"{say('tune', lang)}: " if it.kind == "tune" else ""
            action, why = it.text(lang)
            lines.append(f"{i}. {tune}**{action}** ({category(it.rule.category, lang)}, {answers}): {why}")
        lines.append("")
    if diagnosis.skipped:
        lines.append(f"<details><summary>{say('not checked', lang)}</summary>\n")
        lines += [f"- `{s.detector}`: {s.reason}" for s in diagnosis.skipped]
        lines.append("\n</details>")
    return "\n".join(lines) + "\n"


def _name(problem_id: str, lang: str) -> str:
    """`id` in code font; in Chinese the course's term before it."""
    name = problem(problem_id, lang)
    return f"`{name}`" if name == problem_id else name.replace(f"({problem_id})", f"(`{problem_id}`)")
