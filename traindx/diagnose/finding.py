"""What a detector returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass
class Finding:
    problem: str  # a SPEC problem id
    severity: Severity
    summary: str  # one sentence with the numbers
    evidence: dict[str, Any] = field(default_factory=dict)  # measured values
    params: dict[str, Any] = field(default_factory=dict)  # thresholds in effect
    layers: list[str] = field(default_factory=list)
    steps: list[int] = field(default_factory=list)  # [first, last]
    caused_by: str | None = None  # the root-cause problem id, when one finding explains another

    def to_dict(self) -> dict[str, Any]:
        d = {"problem": self.problem, "severity": self.severity.value, "summary": self.summary,
             "evidence": self.evidence, "thresholds": self.params, "layers": self.layers,
             "steps": self.steps}
        if self.caused_by:
            d["caused_by"] = self.caused_by
        return d


class NotJudged(Exception):
    """Raised by a detector whose signals exist but cannot be read as it reads them (the message
    says why); the run reports it among what was not checked."""


@dataclass
class Skipped:
    detector: str
    reason: str


VERDICTS = ("healthy", "problems", "not judged")


@dataclass
class Diagnosis:
    """The findings of one run, the detectors that could not run, and `limits`: why the run's data
    is too thin to call it healthy (nothing recorded, too few steps). `diagnose()` fills `limits`.

    verdict: "problems" when a finding is at warning or error (however short the run), else
    "not judged" when there are limits, else "healthy". So a run that could not be judged is never
    reported as healthy, and a policy that changes severities after diagnosis moves the verdict too."""

    findings: list[Finding]
    skipped: list[Skipped]
    limits: list[str] = field(default_factory=list)
    profile: Any = None  # profile.Profile: what the training already does (the planner reads it)
    stopped: str | None = None  # why traindx stopped the run (--stop-on), None when it did not

    def has_problems(self) -> bool:
        return any(f.severity.rank >= 1 for f in self.findings)

    @property
    def verdict(self) -> str:
        if self.has_problems():
            return "problems"
        return "not judged" if self.limits else "healthy"

    @property
    def judged(self) -> bool:
        return self.verdict != "not judged"

    @property
    def not_judged_reasons(self) -> list[str]:
        """Why the run could not be judged; empty unless the verdict is "not judged"."""
        return [] if self.judged else list(self.limits)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
