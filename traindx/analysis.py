"""The one analysis: a run in; its policy applied, its findings ordered into a story, its remedy
plan drawn. The CLI, the trainer, the callbacks and `traindx.diagnose_path` all end here, so that
they cannot disagree about the same run."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional

from .diagnose import Diagnosis, diagnose
from .remedies import PlanItem, load_rules, plan
from .runs.model import Run


class Report(NamedTuple):
    run: Run
    diagnosis: Diagnosis
    plan: list[PlanItem]


def analyse(run: Run, context: dict | None = None, rules_file: Optional[Path] = None,
            policy: dict | None = None, exit_code: Optional[int] = None) -> Report:
    """`context`: bayes_error / test_error; `policy`: thresholds, ignore, severity (see policy.py);
    `exit_code`: the script's, when the caller ran it."""
    run.context.update(context or {})
    policy = policy or {}
    diag = diagnose(run, thresholds=policy.get("thresholds"), ignore=set(policy.get("ignore", ())),
                    exit_code=exit_code, severity=policy.get("severity"))
    return Report(run, diag, plan(diag.findings, load_rules(rules_file), profile=diag.profile))
