"""`traindx explain PROBLEM`: what a problem is, how traindx measures it (the thresholds in
effect), what causes it and what it causes, and the remedies — all read from the sources the
diagnosis itself uses (the detector registry and docstrings, thresholds.py, the story's causes,
the rules table), so the explanation cannot drift from the behaviour. docs/diagnoses.md is this
module's markdown for every problem: docs/problems.md (a test regenerates it)."""
from __future__ import annotations

import re
from string import Template

from .diagnose import DETECTORS  # noqa: F401  (registers the detectors)
from .diagnose.registry import detectors_of
from .diagnose.story import CAUSES
from .diagnose.thresholds import resolve
from .problems import PROBLEM, PROBLEMS
from .remedies import Rule, rules_for
from .report.lang import category, say


def explain(problem: str, thresholds: dict[str, dict] | None = None, lang: str = "en") -> dict:
    """{problem, title, measured_by: [{detector, detects, matters, thresholds}], caused_by, causes,
    remedies: [...]}; `thresholds`: a policy's overrides, shown as in effect; `lang` "zh": the
    course's term, a definition and the remedies in Chinese (the detectors' own text stays)."""
    measured = []
    for det in detectors_of(problem):
        detects, matters = _docstring(det.fn.__doc__ or "")
        measured.append({"detector": det.name, "on": "a checkpoint's weights" if det.name.startswith("weights_")
                         else "a run", "detects": detects, "matters": matters,
                         "thresholds": resolve(det.name, (thresholds or {}).get(det.name))})
    entry = PROBLEM[problem]
    zh = {"term": entry.zh, "about": entry.zh_about} if lang == "zh" else {}
    return {"problem": problem, "title": entry.title, **({"zh": zh} if zh else {}), "measured_by": measured,
            "caused_by": list(CAUSES.get(problem, ())),
            "causes": [effect for effect, causes in CAUSES.items() if problem in causes],
            "remedies": [_remedy(r, lang) for r in rules_for(problem)]}


def _docstring(doc: str) -> tuple[str, str]:
    """("what it detects", "why it matters") from a detector's docstring."""
    text = " ".join(doc.split())
    detects, _, matters = text.partition("Why it matters:")
    detects = re.sub(r"^What it detects[^:]*:\s*", "", detects).strip()
    return detects, matters.strip()


def _remedy(rule: Rule, lang: str = "en") -> dict:
    defaults = {k: str(v) for k, v in rule.defaults.items()}
    zh = rule.zh if lang == "zh" else {}
    out = {"category": category(rule.category, lang),
           "action": Template(zh.get("action", rule.action)).safe_substitute(defaults),
           "why": zh.get("why", rule.why), "snippet": Template(rule.snippet).safe_substitute(defaults).rstrip()}
    for key in ("only_for", "not_for", "in_place"):
        cond = getattr(rule, key)
        if cond:
            out[key] = {fact: list(values) for fact, values in cond.items()}
    if rule.tune:
        out["tune"] = Template(zh.get("tune", rule.tune)).safe_substitute(defaults)
    return out


def markdown(entry: dict) -> str:
    p, zh = entry["problem"], entry.get("zh")
    lang = "zh" if zh else "en"
    lines = [f"## {zh['term']} (`{p}`)" if zh else f"## `{p}`", ""]
    if zh:
        lines += [zh["about"], ""]
    for m in entry["measured_by"]:
        lines += [f"**{say('What traindx measures', lang)}** ({m['on']}, detector `{m['detector']}`): "
                  f"{m['detects']}", ""]
        if m["matters"]:
            lines += [f"**{say('Why it matters', lang)}:** {m['matters']}", ""]
        if m["thresholds"]:
            lines += [f"{say('Thresholds in effect', lang)}: "
                      + ", ".join(f"`{k}` = {v:g}" for k, v in m["thresholds"].items()), ""]
    if entry["caused_by"]:
        lines += [f"**{say('Often caused by', lang)}:** " + ", ".join(f"`{c}`" for c in entry["caused_by"]), ""]
    if entry["causes"]:
        lines += [f"**{say('Can cause', lang)}:** " + ", ".join(f"`{c}`" for c in entry["causes"]), ""]
    lines += [f"**{say('Remedies', lang)}** ({say('most effective first', lang)}):", ""]
    for i, r in enumerate(entry["remedies"], 1):
        when = _conditions(r)
        lines += [f"{i}. **{r['action']}** ({r['category']}){when}: {r['why']}", "",
                  "   ```python", *("   " + line for line in r["snippet"].splitlines()), "   ```", ""]
    return "\n".join(lines)


def _conditions(r: dict) -> str:
    parts = []
    for key, word in (("only_for", "only for"), ("not_for", "not for")):
        for fact, values in r.get(key, {}).items():
            parts.append(f"{word} {fact} {'/'.join(map(_value, values))}")
    for fact, values in r.get("in_place", {}).items():
        parts.append(f"already in place when {fact} is {'/'.join(map(_value, values))}")
    return f" — {'; '.join(parts)}" if parts else ""


def _value(v) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def all_markdown(lang: str = "en") -> str:
    """docs/diagnoses.md: every problem, in the rules table's order."""
    head = ["# Problems traindx diagnoses", "",
            "Generated by `traindx explain --all --format markdown` from the detectors, thresholds,",
            "causes and rules table themselves (tests/test_explain.py fails when it is stale); the",
            "overview, the story and the suites are in [diagnoses.md](diagnoses.md).", ""]
    return "\n".join(head) + "\n" + "\n".join(markdown(explain(p, lang=lang)) for p in PROBLEMS)
