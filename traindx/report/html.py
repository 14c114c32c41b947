"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network) that opens
from a CI artifact. Per run: the verdict, the setup traindx read, the findings with their evidence,
the curves with each finding marked at its steps, a layer x step heat map of the relative gradient
|g|/|w| and of the update ratio (log colour scale), activation health per layer, the remedy plan
with its snippets, and what could not be checked. Several runs (a sweep, a remedy comparison)
follow one another in the same file."""
from __future__ import annotations

import math
from html import escape

import numpy as np

from ..record.kinds import HARD_ZERO, SATURATING
from ..diagnose.signals import weight_layers
from ..runs.model import Run
from .lang import category, problem, say

COLORS = {"error": "#c62828", "warning": "#b26a00", "info": "#1565c0"}
VERDICT = {"healthy": ("✔ healthy", "#2e7d32"), "problems": ("✘ problems", "#c62828"),
           "not judged": ("? not judged", "#b26a00")}
SERIES = {"train_loss": "#1565c0", "eval_loss": "#c62828", "train_acc": "#6a1b9a", "eval_acc": "#2e7d32",
          "grad_norm": "#455a64", "grad_norm_preclip": "#8d6e63", "lr": "#00838f"}
W, H, PAD = 450, 160, 38  # a chart's size and its left/bottom margin, in px (two per row)

CSS = """
body{font:14px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:980px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 8px} section{border-top:2px solid #ddd;padding-top:12px;margin-top:18px}
.verdict{display:inline-block;color:#fff;border-radius:4px;padding:2px 10px;font-weight:600}
.muted{color:#666} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
.sev{font-weight:600} pre{background:#f6f8fa;padding:8px;border-radius:4px;overflow-x:auto;font-size:12.5px}
.tag{font-size:12px;color:#555;background:#eee;border-radius:3px;padding:0 5px;margin-left:6px}
.tune{color:#00838f;font-weight:600} svg text{font-size:11px;fill:#444} .legend span{margin-right:14px}
.stopped{color:#c62828;font-weight:600} .charts{display:flex;flex-wrap:wrap;gap:8px 18px}
"""


def render(reports: list, options) -> str:
    """The whole HTML document for `reports` ([Report(run, diagnosis, plan)])."""
    lang = options.lang
    title = "traindx report" if len(reports) != 1 else f"traindx · {reports[0][0].path}"
    body = "\n".join(_section(run, diagnosis, plan, lang) for run, diagnosis, plan in reports)
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


def _section(run: Run, diagnosis, plan: list, lang: str) -> str:
    label, color = VERDICT[diagnosis.verdict]
    label = f"{label[0]} {say(diagnosis.verdict, lang)}"
    unit = say("epochs" if run.unit == "epochs" else "steps", lang)
    count = len([f for f in diagnosis.findings if f.severity.rank])
    parts = [f"<section><h1>{escape(str(run.path))} <span class=\"muted\">({escape(run.source_format)})</span></h1>",
             f"<p><span class=\"verdict\" style=\"background:{color}\">{label}</span> "
             + (f"{count} problem(s) in {run.steps} {unit}, ended: {escape(run.ended)}</p>" if lang == "en" else
                f"{count} 个问题，共 {run.steps} {unit}，{escape(say(run.ended, lang))}</p>")]
    if diagnosis.stopped:
        parts.append(f"<p class=\"stopped\">{say('stopped by traindx', lang)}: {escape(diagnosis.stopped)}</p>")
    if not diagnosis.judged:
        parts.append(f"<p><b>{say('Not judged', lang)}:</b> " + escape("; ".join(diagnosis.not_judged_reasons))
                     + "</p>")
    described = diagnosis.profile.describe() if diagnosis.profile is not None else ""
    if described:
        parts.append(f"<p class=\"muted\">{say('setup', lang)}: {escape(described)}</p>")
    parts.append(_findings(diagnosis, lang))
    for title, chart in (("Curves", _curves(run, diagnosis)),
                         ("Relative gradient |g|/|w| per layer over steps", _heatmap(run, "relative_grad")),
                         ("Update ratio |Δw|/|w| per layer over steps", _heatmap(run, "update_ratio")),
                         ("Activation health per layer", _activations(run))):
        if chart:
            parts.append(f"<h2>{escape(say(title, lang))}</h2>{chart}")
    parts.append(_plan(plan, lang))
    notes = list(run.notes) + [f"{s.detector}: {s.reason}" for s in diagnosis.skipped]
    if notes:
        parts.append(f"<h2>{say('Not checked / notes', lang)}</h2><ul class=\"muted\">"
                     + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    return "\n".join(parts) + "</section>"


def _findings(diagnosis, lang: str) -> str:
    if not diagnosis.findings:
        return ""
    rows = []
    for f in diagnosis.findings:
        extra = (f" <span class=\"tag\">← {say('caused by', lang)} {escape(problem(f.caused_by, lang))}</span>"
                 if f.caused_by else "")
        live = f.evidence.get("first_seen_live_step") if isinstance(f.evidence, dict) else None
        if live is not None:
            extra += f" <span class=\"tag\">{say('alerted live at step', lang)} {live}</span>"
        where = ", ".join(f.layers[:4]) if f.layers else ""
        rows.append(f"<tr><td class=\"sev\" style=\"color:{COLORS[f.severity.value]}\">"
                    f"{say(f.severity.value, lang)}</td>"
                    f"<td><code>{escape(problem(f.problem, lang))}</code></td><td>{escape(f.summary)}{extra}"
                    + (f"<br><span class=\"muted\">layers: {escape(where)}</span>" if where else "")
                    + "</td></tr>")
    head = "".join(f"<th>{say(h, lang)}</th>" for h in ("severity", "problem", "what traindx measured"))
    return f"<h2>{say('Findings', lang)}</h2><table><tr>{head}</tr>" + "".join(rows) + "</table>"


# ----------------------------------------------------------------- charts
def _curves(run: Run, diagnosis) -> str:
    """Loss curves (log scale when they span more than two orders) and, beside, accuracies; a
    dashed line at each finding's steps."""
    charts = []
    for keys in (("train_loss", "eval_loss"), ("train_acc", "eval_acc"), ("grad_norm_preclip", "grad_norm"),
                 ("lr",)):
        series = {k: run.series(k).finite() for k in keys if run.series(k) is not None}
        series = {k: s for k, s in series.items() if len(s) >= 2}
        if keys[0] == "grad_norm_preclip" and "grad_norm_preclip" in series:
            series.pop("grad_norm", None)
        if series:
            charts.append(_line_chart(series, diagnosis if keys[0] == "train_loss" else None))
    return f"<div class=\"charts\">{''.join(charts)}</div>" if charts else ""


def _line_chart(series: dict, diagnosis) -> str:
    xs = np.concatenate([s.steps for s in series.values()]).astype(float)
    ys = np.concatenate([s.values for s in series.values()])
    x0, x1 = float(xs.min()), float(xs.max()) or 1.0
    positive = bool((ys > 0).all())
    log = positive and ys.max() / ys.min() > 100
    ty = np.log10 if log else (lambda v: v)
    y0, y1 = float(ty(ys.min())), float(ty(ys.max()))
    if y1 - y0 < 1e-12:
        y0, y1 = y0 - 0.5, y1 + 0.5

    def px(x):
        return PAD + (x - x0) / ((x1 - x0) or 1) * (W - PAD - 8)

    def py(y):
        return H - PAD + 10 - (ty(y) - y0) / (y1 - y0) * (H - PAD - 10)

    out = [f"<svg width=\"{W}\" height=\"{H + 8}\" viewBox=\"0 0 {W} {H + 8}\" role=\"img\">",
           f"<rect x=\"{PAD}\" y=\"0\" width=\"{W - PAD - 8}\" height=\"{H - PAD + 10}\" fill=\"#fafafa\" stroke=\"#ddd\"/>"]
    for value, anchor in ((y1, 12), (y0, H - PAD + 10)):
        shown = 10 ** value if log else value
        out.append(f"<text x=\"{PAD - 4}\" y=\"{anchor}\" text-anchor=\"end\">{_num(shown)}</text>")
    out.append(f"<text x=\"{PAD}\" y=\"{H + 4}\">{_num(x0)}</text>"
               f"<text x=\"{W - 8}\" y=\"{H + 4}\" text-anchor=\"end\">{_num(x1)} (step)</text>")
    if log:
        out.append(f"<text x=\"{PAD + 4}\" y=\"{H - PAD + 4}\">log scale</text>")
    if diagnosis is not None:  # each finding at its first step, labels stacked so they never overlap
        marked = [f for f in diagnosis.findings if f.severity.rank >= 1 and f.steps]
        for row, f in enumerate(marked):
            step = min(f.steps)
            if x0 <= step <= x1:
                x = px(step)
                color = COLORS[f.severity.value]
                anchor = "end" if x > W * 0.7 else "start"
                tx = x - 3 if anchor == "end" else x + 3
                out.append(f"<line x1=\"{x:.1f}\" y1=\"0\" x2=\"{x:.1f}\" y2=\"{H - PAD + 10}\" "
                           f"stroke=\"{color}\" stroke-dasharray=\"4 3\"/>"
                           f"<text x=\"{tx:.1f}\" y=\"{24 + 13 * row}\" text-anchor=\"{anchor}\" fill=\"{color}\">"
                           f"{escape(f.problem)} (step {step})</text>")
    legend = []
    for name, s in series.items():
        color = SERIES.get(name, "#555")
        keep = _thin(len(s))
        points = " ".join(f"{px(float(x)):.1f},{py(float(y)):.1f}" for x, y in zip(s.steps[keep], s.values[keep]))
        if len(s.values[keep]) == 1:
            points += f" {points}"
        out.append(f"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" points=\"{points}\"/>")
        legend.append(f"<span style=\"color:{color}\">━ {escape(name)}</span>")
    out.append("</svg>")
    return f"<div><div class=\"legend\">{''.join(legend)}</div>{''.join(out)}</div>"


def _thin(n: int, most: int = 600) -> slice:
    return slice(None, None, max(1, math.ceil(n / most)))


def _heatmap(run: Run, stat: str) -> str:
    """Layers (rows, input side on top) x sampled steps (columns); colour = log10 of the value
    on a fixed scale (1e-6 .. 1): a healthy update ratio (~1e-3) sits mid-scale whatever the run."""
    table = run.params
    if table is None or not len(table):
        return ""
    if stat == "relative_grad":
        g, w = table.get("grad_norm"), table.get("weight_norm")
        if g is None or w is None:
            return ""
        with np.errstate(all="ignore"):
            values = np.where(w > 0, g / w, np.nan)
    else:
        values = table.get(stat)
        if values is None:
            return ""
    cols = weight_layers(run, table) or list(range(len(table.layers)))
    if not cols or not np.isfinite(values[:, cols]).any():
        return ""
    cols = cols[:40]
    steps = table.steps
    keep = np.arange(len(steps))[_thin(len(steps), 120)]
    cell_w = max(2.0, (760 - 170) / len(keep))  # wider than a chart: one per row
    cell_h = 14
    out = [f"<svg width=\"{170 + cell_w * len(keep) + 60:.0f}\" height=\"{cell_h * len(cols) + 34}\" role=\"img\">"]
    for r, c in enumerate(cols):
        name = table.layers[c]
        out.append(f"<text x=\"166\" y=\"{r * cell_h + 11}\" text-anchor=\"end\">{escape(name[-26:])}</text>")
        for k, i in enumerate(keep):
            v = values[i, c]
            fill = _colour(v)
            out.append(f"<rect x=\"{170 + k * cell_w:.1f}\" y=\"{r * cell_h}\" width=\"{cell_w + 0.3:.1f}\" "
                       f"height=\"{cell_h - 1}\" fill=\"{fill}\"><title>{escape(name)} step {int(steps[i])}: "
                       f"{_num(v)}</title></rect>")
    y = cell_h * len(cols) + 14
    out.append(f"<text x=\"170\" y=\"{y}\">step {int(steps[keep[0]])}</text>"
               f"<text x=\"{170 + cell_w * len(keep):.0f}\" y=\"{y}\" text-anchor=\"end\">step {int(steps[keep[-1]])}</text>")
    for k, exp in enumerate(range(-6, 1)):
        out.append(f"<rect x=\"{170 + k * 46}\" y=\"{y + 6}\" width=\"12\" height=\"10\" fill=\"{_colour(10.0 ** exp)}\"/>"
                   f"<text x=\"{185 + k * 46}\" y=\"{y + 15}\">1e{exp}</text>")
    out.append("</svg>")
    return "".join(out)


def _colour(v: float) -> str:
    """A fixed log scale, 1e-6 (dark blue) .. 1e-3 (pale) .. 1 and above (red); grey when unknown
    or not finite (a ratio to a zero weight)."""
    if v is None or not math.isfinite(v):
        return "#dddddd"
    t = (min(max(math.log10(v) if v > 0 else -6.0, -6.0), 0.0) + 6.0) / 6.0  # 0..1
    if t < 0.5:
        a = t / 0.5
        r, g, b = 33 + a * (240 - 33), 80 + a * (240 - 80), 160 + a * (235 - 160)
    else:
        a = (t - 0.5) / 0.5
        r, g, b = 240 - a * (240 - 198), 240 - a * (240 - 40), 235 - a * (235 - 40)
    return f"#{int(r):02x}{int(g):02x}{int(b):02x}"


def _activations(run: Run) -> str:
    """Per activation layer: the share of dead units (ReLU, ReLU6) or of saturated outputs
    (sigmoid/tanh), medians over the sampled steps, as bars."""
    table = run.activations
    if table is None or not len(table):
        return ""
    dead, sat = table.get("dead_frac"), table.get("sat_frac")
    rows = []
    for c, name in enumerate(table.layers):
        if name == "input":
            continue
        with np.errstate(all="ignore"):
            d = float(np.nanmedian(dead[:, c])) if dead is not None and np.isfinite(dead[:, c]).any() else math.nan
            s = float(np.nanmedian(sat[:, c])) if sat is not None and np.isfinite(sat[:, c]).any() else math.nan
        kind = table.kinds.get(name, "")  # only what the detectors judge: a layer after a dead
        if kind in HARD_ZERO:             # ReLU outputs zeros too, and is not "dead" itself
            rows.append((name, d, math.nan))
        elif kind in SATURATING:
            rows.append((name, math.nan, s))
    if not rows:
        return ""
    rows = rows[:40]
    out = [f"<svg width=\"640\" height=\"{len(rows) * 16 + 20}\" role=\"img\">"]
    for r, (name, d, s) in enumerate(rows):
        y = r * 16
        kind = table.kinds.get(name, "")
        out.append(f"<text x=\"196\" y=\"{y + 11}\" text-anchor=\"end\">{escape((name + ' ' + kind)[-30:])}</text>")
        out.append(f"<rect x=\"200\" y=\"{y}\" width=\"400\" height=\"12\" fill=\"#f0f0f0\"/>")
        for value, color in ((d, "#c62828"), (s, "#b26a00")):
            if math.isfinite(value) and value > 0:
                out.append(f"<rect x=\"200\" y=\"{y}\" width=\"{400 * min(value, 1.0):.1f}\" height=\"12\" "
                           f"fill=\"{color}\" fill-opacity=\"0.75\"><title>{escape(name)}: "
                           f"{value:.0%}</title></rect>")
    out.append(f"<text x=\"200\" y=\"{len(rows) * 16 + 14}\">0%</text>"
               f"<text x=\"600\" y=\"{len(rows) * 16 + 14}\" text-anchor=\"end\">100%</text></svg>")
    legend = ("<div class=\"legend\"><span style=\"color:#c62828\">■ dead units (ReLU-like)</span>"
              "<span style=\"color:#b26a00\">■ saturated outputs (sigmoid/tanh)</span></div>")
    return "".join(out) + legend


def _plan(plan: list, lang: str) -> str:
    if not plan:
        return ""
    items = []
    for it in plan:
        answers = ", ".join(problem(p, lang) for p in [it.rule.problem, *it.also_for])
        action, why = it.text(lang)
        tune = f"<span class=\"tune\">{say('tune', lang)}: </span>" if it.kind == "tune" else ""
        verified = (f"<br><span style=\"color:#2e7d32\">{say('verified', lang)}: "
                    f"{escape(it.verified.get('summary', ''))}</span>" if it.verified else "")
        snippet = f"<pre><code>{escape(it.snippet.rstrip())}</code></pre>" if it.snippet.strip() else ""
        items.append(f"<li>{tune}<b>{escape(action)}</b><span class=\"tag\">"
                     f"{escape(category(it.rule.category, lang))} · {escape(answers)}</span><br>{escape(why)}"
                     f"<br><span class=\"muted\">{say('because', lang)}: {escape(it.evidence)}</span>"
                     f"{verified}{snippet}</li>")
    return f"<h2>{say('Remedy plan (most relevant first)', lang)}</h2><ol>" + "".join(items) + "</ol>"


def _num(x: float) -> str:
    if x is None or not math.isfinite(x):
        return str(x)
    return f"{x:.3g}"
