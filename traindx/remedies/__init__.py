"""The rules table (rules.yaml, package data) and the planner that turns findings into a plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import yaml

from ..errors import InputError
from ..problems import CATEGORIES, PROBLEMS
from ..safe_io import load_yaml, read_text

REQUIRED = ("problem", "category", "action", "why", "snippet")
# optional: when a row applies, against the run profile (diagnose/profile.py); see rules.yaml
CONDITIONS = ("only_for", "not_for", "in_place")
OPTIONAL = ("config_patch", *CONDITIONS, "tune", "tune_snippet", "snippets", "defaults", "zh")
TRANSLATED = ("action", "why", "tune")  # the texts a row may give in the course's Chinese (`zh:`)


@dataclass(frozen=True)
class Rule:
    problem: str
    category: str
    action: str
    why: str
    snippet: str
    config_patch: dict[str, Any] = field(default_factory=dict)
    only_for: dict[str, tuple] = field(default_factory=dict)  # profile fact -> values it needs
    not_for: dict[str, tuple] = field(default_factory=dict)  # ... values where it is wrong
    in_place: dict[str, tuple] = field(default_factory=dict)  # ... values: the run already does it
    tune: str = ""  # what to say instead when it is in place (empty: the row is dropped)
    tune_snippet: str = ""  # ... and its code (empty: none)
    snippets: dict[str, str] = field(default_factory=dict)  # the snippet in a framework's own API ("keras")
    defaults: dict[str, Any] = field(default_factory=dict)  # placeholders' values without evidence
    zh: dict[str, str] = field(default_factory=dict)  # action/why/tune in Chinese (`--lang zh`)


@dataclass
class PlanItem:
    rule: Rule
    evidence: str  # the finding's summary: why this remedy is on the plan
    layers: list[str]
    steps: list[int]
    verified: dict | None = None  # filled by `traindx train --try-remedies`
    also_for: list[str] = field(default_factory=list)  # other problems the same remedy answers
    action: str = ""  # the rule's action with this run's numbers ("" until planned)
    snippet: str = ""
    kind: str = "change"  # change | tune (the run already does this: adjust what it has)
    values: dict[str, str] = field(default_factory=dict)  # the $placeholders' values for this run

    def __post_init__(self):
        self.action = self.action or self.rule.action
        if self.kind == "change":
            self.snippet = self.snippet or self.rule.snippet

    def text(self, lang: str = "en") -> tuple[str, str]:
        """(action, why) in `lang`, with this run's numbers; English where the row has no translation."""
        if lang != "zh" or not self.rule.zh:
            return self.action, self.rule.why
        action = self.rule.zh.get("tune" if self.kind == "tune" else "action")
        return (Template(action).safe_substitute(self.values) if action else self.action,
                self.rule.zh.get("why", self.rule.why))

    def to_dict(self) -> dict[str, Any]:
        d = {"problem": self.rule.problem, "category": self.rule.category, "kind": self.kind,
             "action": self.action, "why": self.rule.why, "snippet": self.snippet,
             "evidence": self.evidence, "layers": self.layers, "steps": self.steps}
        if self.rule.config_patch:
            d["config_patch"] = self.rule.config_patch
        if self.verified is not None:
            d["verified"] = self.verified
        if self.also_for:
            d["also_for"] = self.also_for
        return d


def _parse(doc: Any, source: str) -> list[Rule]:
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        raise InputError(source, "not a rules file (expected a mapping with a 'rules' list)")
    rules = []
    for i, row in enumerate(doc["rules"], 1):
        if not isinstance(row, dict) or any(not isinstance(row.get(k), str) for k in REQUIRED):
            raise InputError(source, f"rule {i} needs string fields {', '.join(REQUIRED)}")
        unknown = sorted(set(row) - set(REQUIRED) - set(OPTIONAL))
        if unknown:  # a typo'd key would silently drop what the user meant
            raise InputError(source, f"rule {i}: unknown key {unknown[0]!r}; known: "
                                     f"{', '.join(REQUIRED + OPTIONAL)}")
        if row["problem"] not in PROBLEMS:
            raise InputError(source, f"rule {i}: unknown problem {row['problem']!r} (see `traindx "
                                     f"remedies` for the ids)")
        if row["category"] not in CATEGORIES:
            raise InputError(source, f"rule {i}: category must be one of {', '.join(CATEGORIES)}")
        patch = row.get("config_patch") or {}
        if not isinstance(patch, dict):
            raise InputError(source, f"rule {i}: config_patch must be a mapping")
        conditions = {c: _condition(row.get(c), f"rule {i}: {c}", source) for c in CONDITIONS}
        tune, tune_snippet = row.get("tune") or "", row.get("tune_snippet") or ""
        defaults, snippets = row.get("defaults") or {}, row.get("snippets") or {}
        if not isinstance(tune, str) or not isinstance(tune_snippet, str) or not isinstance(defaults, dict) \
                or not isinstance(snippets, dict) or not all(isinstance(v, str) for v in snippets.values()):
            raise InputError(source, f"rule {i}: tune and tune_snippet must be text, defaults a mapping, "
                                     f"snippets a mapping of framework to code")
        zh = row.get("zh") or {}
        if not isinstance(zh, dict) or set(zh) - set(TRANSLATED) or not all(isinstance(v, str) for v in zh.values()):
            raise InputError(source, f"rule {i}: zh must be a mapping of {', '.join(TRANSLATED)} to text")
        rule = Rule(row["problem"], row["category"], row["action"].strip(), row["why"].strip(),
                    row["snippet"].rstrip() + "\n", dict(patch), tune=tune.strip(),
                    tune_snippet=tune_snippet.rstrip() + "\n" if tune_snippet.strip() else "",
                    snippets={str(k): v.rstrip() + "\n" for k, v in snippets.items()},
                    defaults=dict(defaults), zh={k: v.strip() for k, v in zh.items()}, **conditions)
        _check_placeholders(rule, f"rule {i}", source)
        rules.append(rule)
    return rules


def _condition(value: Any, where: str, source: str) -> dict[str, tuple]:
    """{fact: (allowed values...)}; a single value is a one-value tuple. Facts are the run
    profile's fields (`traindx remedies --help` lists them) and `finding.<evidence key>`."""
    from ..diagnose.profile import Profile
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(source, f"{where} must be a mapping of profile facts to values")
    facts = Profile.__dataclass_fields__
    out = {}
    for fact, allowed in value.items():
        if fact not in facts and not str(fact).startswith(FINDING_FACT):
            raise InputError(source, f"{where}: unknown profile fact {fact!r}; known: {', '.join(facts)}")
        out[fact] = tuple(allowed) if isinstance(allowed, list) else (allowed,)
    return out


FINDING_FACT = "finding."  # a condition on the finding's own evidence: `finding.at_init: true`


def _finding_facts(finding) -> dict:
    """The finding's plain evidence (flags, counts, names) as `finding.<key>` facts."""
    return {FINDING_FACT + k: v for k, v in finding.evidence.items() if isinstance(v, (bool, int, str))}


def _check_placeholders(rule: Rule, where: str, source: str) -> None:
    """Every $name in a row's text has a default, so that a run without the evidence still
    reads as a sentence (a user's row with a typo is said at load time, not in a report).
    `$name`, not `{name}`: snippets are Python, whose braces are dicts and sets."""
    for text in (rule.action, rule.tune, rule.snippet, rule.tune_snippet, *rule.snippets.values(),
                 *rule.zh.values()):
        for name in Template(text).get_identifiers():
            if name not in rule.defaults:
                raise InputError(source, f"{where}: placeholder ${name} has no value in defaults")


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    text = resources.files(__package__).joinpath("rules.yaml").read_text(encoding="utf-8")
    return tuple(_parse(yaml.safe_load(text), "rules.yaml"))


def load_rules(extra: str | Path | None = None) -> list[Rule]:
    """Built-in rules; a user file's rows replace the built-in rows of the problems it names."""
    rules = list(builtin_rules())
    if extra is None:
        return rules
    path = Path(extra)
    doc = load_yaml(read_text(path, "rules file"), path)
    user = _parse(doc, str(path))
    replaced = {r.problem for r in user}
    return [r for r in rules if r.problem not in replaced] + user


def rules_for(problem: str, rules: list[Rule] | None = None) -> list[Rule]:
    return [r for r in (rules or builtin_rules()) if r.problem == problem]


HEALTHY_UPDATE = 1e-3  # the course's rule of thumb: each step moves a weight ~1e-3 of its norm
MAX_WARMUP_RISE = 100  # a warm-up starts at >= 1% of its peak; a bigger rise is no warm-up
HEALTHY_UPDATE_ADAM = 1e-2  # Adam's first step is lr per element (a sign step): ~10x its later ones
LR_DOWN = ("learning_rate_too_high", "exploding_gradients", "non_finite", "dead_units")
LR_UP = ("learning_rate_too_low",)
LR_SEARCH = ("non_convergence", "high_bias")  # direction unknown: search around the current lr


def plan(findings: list, rules: list[Rule] | None = None, per_problem: int = 3,
         profile=None) -> list[PlanItem]:
    """Remedies for the warning/error findings, in finding order (root causes first), each
    problem's rows in table order, `per_problem` at most; one item per problem and action.
    With the run's `profile` (diagnose/profile.py) a row that is wrong for the run is left out, one
    the run already follows becomes its "tune" step (or is left out when it has none), and the
    texts get the run's own numbers."""
    facts = profile.facts() if profile is not None else {}
    items: list[PlanItem] = []
    by_key: dict = {}
    for f in findings:
        if f.severity.rank < 1:
            continue
        # a consequence (dead units caused by a too-high lr) is fixed by its cause's remedies;
        # it gets its own only when its cause got none
        root = _root_cause(f, findings)
        fix = next((it for it in items if it.rule.problem == root), None) if root != f.problem else None
        if fix is not None:  # answered by its cause's first remedy
            if f.problem not in fix.also_for:
                fix.also_for.append(f.problem)
            continue
        taken = 0
        for rule in rules_for(f.problem, rules):
            if taken >= per_problem:
                break
            item = _item(rule, f, profile, facts)
            if item is None:
                continue
            taken += 1
            # the same remedy reached from two problems (more data for overfitting and for
            # variance) is listed once, under the first, and says which other problems it answers
            keys = _identity(item)
            known = next((by_key[k] for k in keys if k in by_key), None)
            if known is not None:
                if f.problem != known.rule.problem and f.problem not in known.also_for:
                    known.also_for.append(f.problem)
                continue
            items.append(item)
            by_key.update({k: item for k in keys})
    return items


def _item(rule: Rule, finding, profile, facts: dict) -> PlanItem | None:
    """The row as this run's plan item: None when it is wrong for the run, or already in place
    with nothing to tune; a "tune" item when in place; texts with the run's numbers."""
    facts = {**facts, **_finding_facts(finding)}
    if not applies(rule, facts):
        return None
    kind = "tune" if rule.in_place and all_match(rule.in_place, facts) else "change"
    if kind == "tune" and not rule.tune:
        return None
    values = numbers(finding, profile, rule.defaults)
    action = Template(rule.tune if kind == "tune" else rule.action).safe_substitute(values)
    code = rule.tune_snippet if kind == "tune" else rule.snippets.get(facts.get("framework"), rule.snippet)
    return PlanItem(rule, finding.summary, list(finding.layers), list(finding.steps), action=action,
                    snippet=Template(code).safe_substitute(values), kind=kind, values=values)


def _identity(item: PlanItem) -> set:
    """What makes two items the same remedy: the row, its code, its config patch."""
    keys = {("action", item.rule.problem, item.rule.action)}
    if item.snippet.strip():
        keys.add(("snippet", item.snippet.strip()))
    if item.rule.config_patch:
        keys.add(("patch", tuple(sorted((k, str(v)) for k, v in item.rule.config_patch.items()))))
    return keys


def _fact_matches(value: Any, allowed: tuple) -> bool | None:
    """None when the run does not know the fact (a log without hyper-parameters)."""
    if value is None:
        return None
    if isinstance(value, list):
        return any(v in allowed for v in value)
    return value in allowed


def all_match(condition: dict[str, tuple], facts: dict) -> bool:
    """Every fact of `condition` is known and has one of its values."""
    return all(_fact_matches(facts.get(k), v) is True for k, v in condition.items())


def applies(rule: Rule, facts: dict) -> bool:
    """`only_for`: no known fact contradicts it (unknown facts never hide advice);
    `not_for`: no known fact matches it."""
    if any(_fact_matches(facts.get(k), v) is False for k, v in rule.only_for.items()):
        return False
    return not any(_fact_matches(facts.get(k), v) is True for k, v in rule.not_for.items())


def numbers(finding, profile, defaults: dict) -> dict[str, str]:
    """The values a row's $placeholders take for this finding: the run's own numbers where the
    evidence has them, the row's defaults otherwise."""
    values = {k: _fmt(v) for k, v in defaults.items()}
    # the finding's named evidence (`$fed_by`: the layer feeding the dead ReLUs)
    values.update({k: v for k, v in (finding.evidence or {}).items() if isinstance(v, str)})
    lr, suggested = None, None
    if profile is not None:
        lr = profile.peak_lr or profile.lr
        for key in ("optimizer_name", "momentum", "weight_decay", "clip_at"):
            v = getattr(profile, key)
            if v is not None:
                values["optimizer" if key == "optimizer_name" else key] = _fmt(v)
        if profile.grad_norm_start:
            values["suggested_clip"] = _round1(2 * profile.grad_norm_start)
        suggested = suggested_lr(_lr_problem(finding), profile)
    lr = lr or (finding.evidence or {}).get("lr")
    if lr:
        values["lr"] = _fmt(lr)
        if suggested is None:  # no update measured: an order of magnitude, the course's search step
            problem = _lr_problem(finding)
            suggested = lr if problem in LR_SEARCH else lr / 10 if problem not in LR_UP else lr * 10
        values["suggested_lr"] = values["new_lr"] = _round1(suggested)
        values["lr_search"] = ", ".join(_round1(suggested * k) for k in (0.1, 1, 10))
    if finding.layers:
        values["layer"] = finding.layers[0]
    return values


def _root_cause(finding, findings: list) -> str:
    """The problem at the head of this finding's caused_by chain (its own when it has no cause)."""
    by_problem = {f.problem: f for f in findings}
    seen, problem = set(), finding.problem
    while problem not in seen:
        seen.add(problem)
        cause = getattr(by_problem.get(problem), "caused_by", None)
        if not cause:
            break
        problem = cause
    return problem


def _lr_problem(finding) -> str:
    """Which way the lr should move for this finding: its root cause's way when it has one (a
    non-convergence caused by a too-high lr wants a lower lr, not a search around it)."""
    cause = getattr(finding, "caused_by", None)
    return cause if cause in LR_DOWN + LR_UP else finding.problem


def suggested_lr(problem: str, profile) -> float | None:
    """The (peak) lr that would make the first update ~HEALTHY_UPDATE of the weights (Adam's
    first step is a full sign step, ~10x its later ones: ~HEALTHY_UPDATE_ADAM), from the first
    update the run made: an update is proportional to the lr that made it. None when the run
    has no such measurement, or the estimate points the wrong way for the problem (a warm-up's
    tiny first lr says nothing about a peak that is too high)."""
    lr = profile.peak_lr or profile.lr
    first_lr, ratio = profile.lr, profile.first_update_ratio
    if problem not in LR_DOWN + LR_UP or not (lr and first_lr and ratio):
        return None
    if lr > MAX_WARMUP_RISE * first_lr:
        return None  # a rate raised by orders after the first step: that step says nothing of it
    healthy = HEALTHY_UPDATE_ADAM if profile.optimizer == "adam" else HEALTHY_UPDATE
    target = lr * healthy / ratio
    if (problem in LR_DOWN and target >= lr) or (problem in LR_UP and target <= lr):
        return None
    return target


def _round1(x: float) -> str:
    """One significant digit: a starting point to search from, not a measurement."""
    return f"{float(f'{x:.1g}'):g}"


def _fmt(x: Any) -> str:
    return f"{x:.3g}" if isinstance(x, float) else str(x)
