"""`traindx check` output for CI: one line per run and a summary, GitHub annotations, and a
Markdown summary table for a job summary or a PR comment."""
from __future__ import annotations

import os
import sys

from ..errors import one_line
from ..report import markdown

ICON = {"FAIL": "❌", "warn": "⚠️", "ok": "✅", "?": "❔"}


def status(diag, failing_fn) -> str:
    """FAIL (at --fail-on, or not judged unless --fail-on never), ok (healthy), ? (not judged),
    warn (problems below --fail-on)."""
    if failing_fn([diag]):
        return "FAIL"
    return {"healthy": "ok", "not judged": "?"}.get(diag.verdict, "warn")


def outcome(diag, code: str = "") -> str:
    """The problems of a run, "healthy", or "not judged: <reasons>"."""
    if not diag.judged:
        return "not judged: " + "; ".join(diag.not_judged_reasons)
    return ", ".join(f"{code}{f.problem}{code}{' ' if code else ''}({f.severity.value})"
                     for f in diag.findings if f.severity.rank >= 1) or "healthy"


def run_line(run, diag, mark: str) -> str:
    probs = outcome(diag)
    ended = f", ended {run.ended}" if run.ended not in ("completed", "unknown") else ""
    return one_line(f"{mark:<4} {run.path} [{run.source_format}, {run.steps} steps{ended}]: {probs}")


def summary_line(marks: list[str], skipped: int, fail_on: str, not_judged: int = 0) -> str:
    tail = (f", {not_judged} not judged" if not_judged else "") + \
        (f", {skipped} log(s) not readable" if skipped else "")
    return (f"{len(marks)} run(s) checked, {marks.count('FAIL')} failing, {marks.count('warn')} with "
            f"warnings, {marks.count('ok')} healthy{tail} (--fail-on {fail_on})")


def count_not_judged(results) -> int:
    return sum(not d.judged for _, d, _ in results)


def markdown_summary(results, marks: list[str], skipped: list, fail_on: str, lang: str = "en") -> str:
    """A table of every run, then the full report of each run with problems."""
    lines = ["## traindx check", "", summary_line(marks, len(skipped), fail_on, count_not_judged(results)),
             "", "| | run | format | steps | problems |", "|---|---|---|---|---|"]
    for (run, diag, _), mark in zip(results, marks):
        probs = outcome(diag, code="`").replace("|", "/")
        lines.append(f"| {ICON[mark]} | `{run.path}` | {run.source_format} | {run.steps} | {probs} |")
    for exc in skipped:
        lines.append(f"| ⛔ | `{exc.path}` | | | not readable: {exc.problem.replace('|', '/')} |")
    lines.append("")
    details = [markdown.report(r, d, p, lang) for (r, d, p), m in zip(results, marks) if m != "ok"]
    return "\n".join(lines) + ("\n" + "\n".join(details) if details else "")


def write_step_summary(text: str) -> bool:
    """Append to $GITHUB_STEP_SUMMARY when running in GitHub Actions; False otherwise."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError as exc:
        print(f"traindx: warning: cannot write GITHUB_STEP_SUMMARY ({exc.strerror})", file=sys.stderr)
        return False
    return True
