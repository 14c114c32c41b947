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


@dataclass
class Skipped:
    detector: str
    reason: str


@dataclass
class Diagnosis:
    findings: list[Finding]
    skipped: list[Skipped]

    @property
    def verdict(self) -> str:
        bad = any(f.severity.rank >= 1 for f in self.findings)
        return "problems" if bad else "healthy"

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
