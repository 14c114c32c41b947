"""`traindx train --try-remedies`: re-train with each suggested remedy applied as a config patch,
re-diagnose, and find out which remedy actually fixes the problem.

Trials are independent trainings; they run in a process pool when more than one core is free
(`jobs`), else one after another. Each trial is recorded in its own run directory."""
from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..remedies import PlanItem, Rule, rules_for
from . import config as C


@dataclass
class Trial:
    name: str                      # short label: the patch
    patch: dict[str, Any]
    targets: list[tuple[str, str]]  # (problem, action) of the rules this patch comes from
    path: Path
    metrics: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # warning/error problems after re-training
    errors: list[str] = field(default_factory=list)    # error-severity problems after re-training
    failure: str = ""              # the training itself failed (bad patch, crash)

    def fixes(self, problem: str) -> bool:
        return not self.failure and problem not in self.problems

    def diverged(self) -> bool:
        return bool(self.failure) or "non_finite" in self.errors

    def score(self, before: dict | None = None) -> tuple:
        """Sort key, best first: what the user wants first (the held-out metric gained), then
        fewer problems left."""
        return (self.diverged(), -gain(self, before), len(self.errors), len(self.problems))

    def to_dict(self) -> dict[str, Any]:
        keys = ("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "seconds")
        return {"remedy": self.name, "config_patch": self.patch,
                "targets": [{"problem": p, "action": a} for p, a in self.targets],
                "run": str(self.path), "problems_after": self.problems, "failure": self.failure or None,
                "metrics": {k: self.metrics.get(k) for k in keys}}


def candidates(problems: list[str], rules: list[Rule] | None = None, per_problem: int = 3,
               skip: set[str] | None = None) -> list[tuple[dict, list[tuple[str, str]]]]:
    """(patch, [(problem, action)]) for the top `per_problem` rules with a config patch of each
    problem, identical patches merged."""
    merged: dict[str, tuple[dict, list]] = {}
    for prob in problems:
        if prob in (skip or set()):
            continue
        for rule in [r for r in rules_for(prob, rules) if r.config_patch][:per_problem]:
            key = repr(sorted(rule.config_patch.items(), key=lambda kv: kv[0]))
            merged.setdefault(key, (dict(rule.config_patch), []))[1].append((prob, rule.action))
    return list(merged.values())


def _run_one(args: tuple) -> dict:
    """One trial (top-level so a process pool can run it)."""
    cfg, patch, path, epochs, rules_file, ctx = args[:6]
    data = args[6] if len(args) > 6 else None  # raw splits made by the caller (k-fold)
    import torch
    torch.set_num_threads(1)
    from .trainer import diagnose, problems, train
    try:
        patched = C.patch(cfg, patch)
        if epochs:
            patched["training"]["epochs"] = epochs
        result = train(patched, path, data=data)
        _, diag, _ = diagnose(result, rules_file, ctx)
        return {"metrics": result.metrics, "problems": problems(diag),
                "errors": problems(diag, min_rank=2), "failure": ""}
    except Exception as exc:  # a remedy that cannot be applied is a result, not a crash
        return {"metrics": {}, "problems": [], "errors": [], "failure": f"{type(exc).__name__}: {exc}"}


def default_jobs() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def run_trials(cfg: dict, found: list[str], out: Path, *, rules: list[Rule] | None = None,
               rules_file=None, ctx: dict | None = None, per_problem: int = 3, epochs: int | None = None,
               jobs: int = 1, on_done: Callable[[Trial], None] | None = None) -> list[Trial]:
    """Train once per candidate patch for the problems `found`; trials come back in table order."""
    trials = []
    for i, (patch, targets) in enumerate(candidates(found, rules, per_problem), 1):
        trials.append(Trial(C.describe_patch(patch), patch, targets, out / f"remedy-{i}"))
    jobs_args = [(cfg, t.patch, t.path, epochs, rules_file, ctx) for t in trials]

    def take(i: int, res: dict) -> None:
        t = trials[i]
        t.metrics, t.problems, t.errors, t.failure = res["metrics"], res["problems"], res["errors"], res["failure"]
        if on_done:
            on_done(t)

    run_pool(jobs_args, jobs, take)
    return trials


def run_pool(args: list[tuple], jobs: int, on_result: Callable[[int, dict], None]) -> list[dict]:
    """`_run_one` over `args`, in a process pool of `jobs` when > 1; results in input order,
    `on_result(index, result)` as each one finishes."""
    results: list[dict] = [{}] * len(args)
    if jobs > 1 and len(args) > 1:
        import multiprocessing as mp
        ctx_mp = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=min(jobs, len(args)), mp_context=ctx_mp) as pool:
            futures = {pool.submit(_run_one, a): i for i, a in enumerate(args)}
            for fut in as_completed(futures):
                i = futures[fut]
                results[i] = fut.result()
                on_result(i, results[i])
    else:
        for i, a in enumerate(args):
            results[i] = _run_one(a)
            on_result(i, results[i])
    return results


GAIN_MARGIN = 0.01  # a held-out gain below this (accuracy points, or relative val loss) is noise


def gain(trial: Trial, before: dict | None) -> float:
    """The held-out improvement over the baseline: val accuracy points (classification), else
    the relative fall of the val loss; -inf when it cannot be measured or the trial failed."""
    m, before = trial.metrics, before or {}
    if trial.failure:
        return -math.inf
    if _finite(m.get("val_acc")) and _finite(before.get("val_acc")):
        return m["val_acc"] - before["val_acc"]
    if _finite(m.get("val_loss")) and _finite(before.get("val_loss")) and before["val_loss"] > 0:
        return (before["val_loss"] - m["val_loss"]) / before["val_loss"]
    return 0.0 if not before else -math.inf


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def verdict(trial: Trial, problem: str, before: dict | None = None) -> str:
    """Both things a user weighs: whether the finding is gone, and what the held-out metric did."""
    if trial.failure:
        return "failed to train"
    if "non_finite" in trial.errors and problem != "non_finite":
        return "diverged (NaN/Inf)"
    change = metric_change(trial, before)
    if problem in trial.problems:
        if gain(trial, before) >= GAIN_MARGIN:
            return f"improved ({change}), {problem} still flagged"
        return "not fixed" + (f" ({change})" if change else "")
    if not no_worse(trial, before):
        return f"gone, but held-out quality fell ({change})"
    others = [p for p in trial.problems if p != problem]
    return (f"fixed ({change})" if change else "fixed") + (f"; still: {', '.join(others)}" if others else "")


def metric_change(trial: Trial, before: dict | None) -> str:
    """"val acc 68% → 83%" (or the val loss), '' without a baseline."""
    m, before = trial.metrics, before or {}
    if _finite(m.get("val_acc")) and _finite(before.get("val_acc")):
        return f"val acc {before['val_acc']:.0%} → {m['val_acc']:.0%}"
    if _finite(m.get("val_loss")) and _finite(before.get("val_loss")):
        return f"val loss {before['val_loss']:.3g} → {m['val_loss']:.3g}"
    return ""


def no_worse(trial: Trial, before: dict | None) -> bool:
    """A fix must not cost held-out quality: val accuracy (classification) or val loss no worse
    than the baseline's. A finding that disappears while the model got worse is no proof."""
    if not before:
        return True
    m = trial.metrics
    if m.get("val_acc") is not None and before.get("val_acc") is not None:
        return m["val_acc"] >= before["val_acc"]
    if m.get("val_loss") is not None and before.get("val_loss") is not None:
        return m["val_loss"] <= before["val_loss"]
    return True


def best_for(trials: list[Trial], problem: str, before: dict | None = None) -> Trial | None:
    """The remedy a practitioner would choose for `problem` (`before`: the baseline's metrics):
    among the trials that targeted it and trained without diverging, the one that gained the
    most held-out quality, if it either removed the finding or gained clearly (an overfitting
    signal left after a 15-point accuracy gain does not make the remedy "not fixed")."""
    ok = [t for t in trials if any(p == problem for p, _ in t.targets) and not t.diverged()
          and no_worse(t, before) and (t.fixes(problem) or gain(t, before) >= GAIN_MARGIN)]
    return min(ok, key=lambda t: t.score(before)) if ok else None


def _summary(trial: Trial, problem: str, before: dict) -> str:
    state = "gone" if trial.fixes(problem) else "still flagged"
    change = metric_change(trial, before)
    return f"re-trained with {trial.name}: {change}, {problem} {state} ({trial.path})" if change else \
        f"re-trained with {trial.name}: {problem} {state} ({trial.path})"


def verified_plan(plan: list[PlanItem], trials: list[Trial], found: list[str], findings: list,
                  before: dict, rules: list[Rule] | None = None) -> list[PlanItem]:
    """The plan with each problem's best fixing remedy marked verified; the overall best leads,
    other verified remedies follow, the rest keep their order."""
    by_key = {(it.rule.problem, it.rule.action): it for it in plan}
    verified: list[tuple[tuple, PlanItem]] = []
    for problem in found:
        best = best_for(trials, problem, before)
        if best is None:
            continue
        action = next(a for p, a in best.targets if p == problem)
        item = by_key.get((problem, action))
        if item is None:  # a remedy beyond the plan's top rows: add it
            rule = next((r for r in (rules or rules_for(problem)) if r.problem == problem and r.action == action), None)
            if rule is None:  # not in the table in effect (a user's --rules replaced it)
                continue
            finding = next((f for f in findings if f.problem == problem), None)
            item = PlanItem(rule, finding.summary if finding else "", list(getattr(finding, "layers", []) or []),
                            list(getattr(finding, "steps", []) or []))
            by_key[(problem, action)] = item
        item.verified = {"summary": _summary(best, problem, before), "config_patch": best.patch,
                         "run": str(best.path), "problems_after": best.problems,
                         "finding_gone": best.fixes(problem), "gain": gain(best, before),
                         "val_loss": best.metrics.get("val_loss"), "val_acc": best.metrics.get("val_acc")}
        verified.append((best.score(before), item))
    verified.sort(key=lambda x: x[0])
    lead = [it for _, it in verified]
    lead_ids = {id(it) for it in lead}
    return lead + [it for it in plan if id(it) not in lead_ids]
