"""The rich terminal report: verdict, findings, gradient flow, loss curves, remedy plan.

Rich drops colour by itself when stdout is not a terminal or NO_COLOR is set."""
from __future__ import annotations

import io

import numpy as np
from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from ..diagnose import Diagnosis
from ..diagnose.signals import fmt, relative_grads, weight_layers
from ..runs.model import Run
from .charts import log_bars, sparkline
from .lang import category, problem, say

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
ENDED = {"completed": "completed", "exception": "stopped by an exception", "exited": "exited",
         "interrupted": "interrupted (Ctrl-C or SIGTERM)", "abrupt": "ended abruptly (killed or crashed)",
         "stopped": "stopped by traindx",
         "unknown": "end unknown"}


def verdict_line(run: Run, diagnosis: Diagnosis, lang: str = "en") -> Text:
    counts = {s: sum(f.severity.value == s for f in diagnosis.findings) for s in STYLE}
    unit = say(run.unit, lang)
    if diagnosis.verdict == "not judged":  # never a green check for a run that could not be judged
        head = Text(f"? {say('not judged', lang)}", style="bold yellow")
        tail = ": " + "; ".join(diagnosis.not_judged_reasons)
    elif diagnosis.verdict == "healthy":
        head = Text(f"✔ {say('healthy', lang)}", style="bold green")
        tail = f": no problems found in {run.steps} {unit}" if lang == "en" else "：未发现问题"
    else:
        head = Text(f"✘ {say('problems', lang)}", style="bold red")
        parts = [f"{n} {say(s, lang)}{'s' if n > 1 and lang == 'en' else ''}"
                 for s, n in counts.items() if n and s != "info"]
        tail = f": {', '.join(parts)} in {run.steps} {unit}" if lang == "en" else f"：{'，'.join(parts)}"
    ended = ENDED.get(run.ended, run.ended)
    if run.ended == "exited" and run.meta.get("exit_code") is not None:
        ended = f"exited with code {run.meta['exit_code']}"
    at = "epoch" if run.unit == "epochs" else "step"
    if lang == "zh":
        ended = say(run.ended, lang) if run.ended != "exited" else ended
        return head + Text(tail + f"（共 {run.steps} {unit}，{ended}）")
    return head + Text(tail + f" ({ended} at {at} {run.steps})")


def findings_table(diagnosis: Diagnosis, lang: str = "en") -> Table:
    t = Table(show_header=True, header_style="bold", box=None, pad_edge=False, expand=False)
    t.add_column(say("severity", lang))
    t.add_column(say("problem", lang))
    t.add_column(say("what traindx measured", lang), overflow="fold")
    for f in diagnosis.findings:
        summary = f.summary + (f"  ← {say('caused by', lang)} {problem(f.caused_by, lang)}" if f.caused_by else "")
        live = f.evidence.get("first_seen_live_step") if isinstance(f.evidence, dict) else None
        if live is not None:
            summary += f"  ({say('alerted live at step', lang)} {live})"
        t.add_row(Text(say(f.severity.value, lang), style=STYLE[f.severity.value]), problem(f.problem, lang),
                  summary)
    return t


def gradient_flow(run: Run, max_layers: int = 24, lang: str = "en") -> Table | None:
    table = run.params
    if table is None or table.get("grad_norm") is None or not len(table):
        return None
    cols = weight_layers(run, table) or list(range(len(table.layers)))
    g = table.get("grad_norm")
    rel = relative_grads(table)
    with np.errstate(all="ignore"):
        med = [float(np.nanmedian(g[:, c])) if np.isfinite(g[:, c]).any() else float("nan") for c in cols]
        rmed = [float(np.nanmedian(rel[:, c])) if rel is not None and np.isfinite(rel[:, c]).any()
                else float("nan") for c in cols]
    names = [table.layers[c] for c in cols]
    if len(names) > max_layers:  # keep both ends and an even sample of the middle
        keep = np.unique(np.linspace(0, len(names) - 1, max_layers).astype(int))
        names, med, rmed = [names[i] for i in keep], [med[i] for i in keep], [rmed[i] for i in keep]
    t = Table(title=say("gradient flow (median |grad| per layer, log scale; input layers first)", lang),
              title_justify="left", box=None, show_header=True, header_style="bold")
    t.add_column(say("layer", lang))
    t.add_column("|grad|", justify="right")
    t.add_column("|grad|/|w|", justify="right")
    t.add_column("", no_wrap=True)
    for (name, bar, v), r in zip(log_bars(list(zip(names, med))), rmed):
        t.add_row(name, fmt(v), fmt(r), Text(bar, style="magenta"))
    return t


def loss_curves(run: Run, lang: str = "en") -> Table | None:
    rows = []
    for key in ("train_loss", "eval_loss", "train_acc", "eval_acc", "grad_norm", "grad_norm_preclip", "lr"):
        s = run.series(key)
        if s is None:
            continue
        fin = s.finite()
        first = fmt(float(fin.values[0])) if len(fin) else "nan"
        last = fmt(float(s.values[-1]))
        rows.append((key, sparkline(s.values, log=key.startswith("grad_norm")), first, last, len(s)))
    if not rows:
        return None
    t = Table(title=say("curves", lang), title_justify="left", box=None, header_style="bold")
    for c in ("signal", "", "first", "last", "points"):
        t.add_column(say(c, lang), justify="right" if c in ("first", "last", "points") else "left")
    for r in rows:
        t.add_row(r[0], Text(r[1], style="blue"), r[2], r[3], str(r[4]))
    return t


def plan_view(plan: list, snippets: bool = True, lang: str = "en") -> Group | None:
    """Numbered in the order of relevance (root cause first); the category beside each item, not
    an order of its own. A "tune" item adjusts something the run already does."""
    if not plan:
        return None
    parts = [Text(say("remedy plan (most relevant first)", lang), style="bold")]
    for i, it in enumerate(plan, 1):
        answers = ", ".join(problem(p, lang) for p in [it.rule.problem, *it.also_for])
        action, why = it.text(lang)
        line = Text(f"{i}. ", style="bold")
        if it.kind == "tune":
            line += Text(f"{say('tune', lang)}: ", style="bold cyan")
        line += Text(action, style="bold") + Text(f"  [{category(it.rule.category, lang)} · {answers}]",
                                                  style="dim")
        parts.append(line)
        parts.append(Text(f"   {say('why', lang)}: {why}"))
        parts.append(Text(f"   {say('because', lang)}: {it.evidence}", style="dim"))
        if it.verified:
            parts.append(Text(f"   {say('verified', lang)}: {it.verified.get('summary', '')}", style="green"))
        if snippets and it.snippet.strip():
            parts.append(Syntax(it.snippet.rstrip(), "python", theme="ansi_dark",
                                background_color="default", padding=(0, 3)))
    return Group(*parts)


def setup_line(diagnosis: Diagnosis, lang: str = "en") -> Text | None:
    """What the run already does, as traindx read it (the plan is fitted to it)."""
    profile = diagnosis.profile
    described = profile.describe() if profile is not None else ""
    return Text(f"{say('setup', lang)}: {described}", style="dim") if described else None


def render(reports: list, options) -> str:
    """The reports as the console shows them (ANSI colours when `options.color`)."""
    out = io.StringIO()
    con = Console(file=out, force_terminal=options.color, no_color=not options.color,
                  width=options.width, soft_wrap=False)
    for run, diagnosis, plan in reports:
        show(con, run, diagnosis, plan, compact=options.compact, lang=options.lang)
    return out.getvalue()


def show(console: Console, run: Run, diagnosis: Diagnosis, plan: list, *, compact: bool = False,
         lang: str = "en") -> None:
    title = Text(f"traindx · {run.path} ({run.source_format})")
    console.print(Panel(verdict_line(run, diagnosis, lang), title=title, title_align="left", expand=False))
    if diagnosis.stopped:
        console.print(Text(f"{say('stopped by traindx', lang)}: {diagnosis.stopped}", style="bold red"))
    setup = setup_line(diagnosis, lang)
    if setup is not None:
        console.print(setup)
    if diagnosis.findings:
        console.print(findings_table(diagnosis, lang))
    if compact:
        return
    for part in (gradient_flow(run, lang=lang), loss_curves(run, lang)):
        if part is not None:
            console.print()
            console.print(part)
    view = plan_view(plan, lang=lang)
    if view is not None:
        console.print()
        console.print(view)
    limits = diagnosis.limits if diagnosis.judged else []  # a short run with problems: say so
    skipped = [f"{s.detector}: {s.reason}" for s in diagnosis.skipped]
    if not diagnosis.judged and len(skipped) > 3 and not diagnosis.findings \
            and all(s.reason.startswith("no ") for s in diagnosis.skipped):
        skipped = [f"{len(skipped)} detectors skipped: the signals they need were not recorded "
                   f"({', '.join(s.detector for s in diagnosis.skipped)})"]
    notes = list(limits) + list(run.notes) + skipped
    if notes:
        console.print()
        console.print(Text(say("not checked / notes", lang), style="bold dim"))
        for n in notes:
            console.print(Text(f"  · {n}", style="dim"))
