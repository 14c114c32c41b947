"""The rules table (rules.yaml, package data) and the planner that turns findings into a plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..safe_io import load_yaml, read_text

CATEGORIES = ("data", "model", "training")
PROBLEMS = ("overfitting", "high_variance", "high_bias", "data_mismatch", "vanishing_gradients",
            "exploding_gradients", "non_convergence", "learning_rate_too_high",
            "learning_rate_too_low", "non_finite", "dead_units", "saturated_activations",
            "poor_initialization", "unnormalized_inputs", "class_imbalance")
REQUIRED = ("problem", "category", "action", "why", "snippet")


@dataclass(frozen=True)
class Rule:
    problem: str
    category: str
    action: str
    why: str
    snippet: str
    config_patch: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanItem:
    rule: Rule
    evidence: str  # the finding's summary: why this remedy is on the plan
    layers: list[str]
    steps: list[int]
    verified: dict | None = None  # filled by `traindx train --try-remedies`
    also_for: list[str] = field(default_factory=list)  # other problems the same remedy answers

    def to_dict(self) -> dict[str, Any]:
        d = {"problem": self.rule.problem, "category": self.rule.category,
             "action": self.rule.action, "why": self.rule.why, "snippet": self.rule.snippet,
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
        unknown = sorted(set(row) - set(REQUIRED) - {"config_patch"})
        if unknown:  # a typo'd key would silently drop what the user meant
            raise InputError(source, f"rule {i}: unknown key {unknown[0]!r}; known: "
                                     f"{', '.join(REQUIRED)}, config_patch")
        if row["problem"] not in PROBLEMS:
            raise InputError(source, f"rule {i}: unknown problem {row['problem']!r} (see `traindx "
                                     f"remedies` for the ids)")
        if row["category"] not in CATEGORIES:
            raise InputError(source, f"rule {i}: category must be one of {', '.join(CATEGORIES)}")
        patch = row.get("config_patch") or {}
        if not isinstance(patch, dict):
            raise InputError(source, f"rule {i}: config_patch must be a mapping")
        rules.append(Rule(row["problem"], row["category"], row["action"].strip(),
                          row["why"].strip(), row["snippet"].rstrip() + "\n", dict(patch)))
    return rules


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


def plan(findings: list, rules: list[Rule] | None = None, per_problem: int = 3) -> list[PlanItem]:
    """Remedies for the warning/error findings, in finding order (root causes first), each
    problem's rows in table order, `per_problem` at most; one item per problem and action."""
    items: list[PlanItem] = []
    by_key: dict = {}
    for f in findings:
        if f.severity.rank < 1:
            continue
        for rule in rules_for(f.problem, rules)[:per_problem]:
            # the same remedy reached from two problems (more data for overfitting and for
            # variance) is listed once, under the first, and says which other problems it answers
            keys = {("action", rule.problem, rule.action), ("snippet", rule.snippet.strip())}
            if rule.config_patch:
                keys.add(("patch", tuple(sorted((k, str(v)) for k, v in rule.config_patch.items()))))
            known = next((by_key[k] for k in keys if k in by_key), None)
            if known is not None:
                if f.problem != known.rule.problem and f.problem not in known.also_for:
                    known.also_for.append(f.problem)
                continue
            item = PlanItem(rule, f.summary, list(f.layers), list(f.steps))
            items.append(item)
            by_key.update({k: item for k in keys})
    return items
