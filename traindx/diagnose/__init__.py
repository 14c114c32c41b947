"""Diagnosis: detectors (pure functions of a Run) and the story that orders their findings."""
from __future__ import annotations

from ..runs.model import Run
from . import detectors  # noqa: F401  (registers the detectors)
from .finding import Diagnosis, Finding, Severity, Skipped
from .registry import DETECTORS, run_detectors
from .story import order


def diagnose(run: Run, thresholds: dict[str, dict] | None = None,
             ignore: set[str] | None = None) -> Diagnosis:
    findings, skipped = run_detectors(run, thresholds)
    findings = [f for f in findings if f.problem not in (ignore or set())]
    return Diagnosis(order(findings), skipped)


__all__ = ["DETECTORS", "Diagnosis", "Finding", "Severity", "Skipped", "diagnose"]
