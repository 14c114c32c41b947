"""The detector registry: each detector is a pure function `(run, params) -> list[Finding]`,
registered with the signals it needs. A detector whose signals are missing is skipped, with the
reason, instead of guessing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..problems import known
from ..runs.model import Run
from .finding import Finding, NotJudged, Skipped
from .thresholds import resolve


@dataclass(frozen=True)
class Detector:
    name: str
    fn: Callable[[Run, dict], list[Finding]]
    needs: tuple[str, ...]  # each entry a signal, or "a|b" for either
    problems: tuple[str, ...] = ()  # the problem ids its findings carry (default: its name)

    def missing(self, run: Run) -> list[str]:
        return [need for need in self.needs if not any(run.has(n) for n in need.split("|"))]


DETECTORS: dict[str, Detector] = {}

SIGNAL_NAMES = {"params": "per-layer gradient statistics", "activations": "activation statistics",
                "labels": "label counts", "class_recall": "per-class recall"}


def detector(name: str, needs: tuple[str, ...] = (), problems: tuple[str, ...] = ()) -> Callable:
    def register(fn: Callable) -> Callable:
        ids = tuple(known(p, f"detector {name}") for p in (problems or (name,)))
        DETECTORS[name] = Detector(name, fn, tuple(needs), ids)
        return fn
    return register


def detectors_of(problem: str) -> list[Detector]:
    """The detectors whose findings carry `problem` (a run's, then a checkpoint's)."""
    return [d for d in DETECTORS.values() if problem in d.problems]


def run_detectors(run: Run, overrides: dict[str, dict] | None = None,
                  only: set[str] | None = None) -> tuple[list[Finding], list[Skipped]]:
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    unknown = sorted(set(overrides or {}) - set(DETECTORS))
    if unknown:
        raise ValueError(f"thresholds: unknown detector {unknown[0]!r}; known: {', '.join(DETECTORS)}")
    for name, det in DETECTORS.items():
        if only is not None and name not in only:
            continue
        missing = det.missing(run)
        if missing:
            what = ", ".join(" or ".join(SIGNAL_NAMES.get(n, n) for n in m.split("|")) for m in missing)
            skipped.append(Skipped(name, f"no {what} in this run"))
            continue
        params = resolve(name, (overrides or {}).get(name))  # a bad override is the caller's error
        try:
            findings.extend(det.fn(run, params))
        except NotJudged as why:
            skipped.append(Skipped(name, str(why)))
        except Exception as exc:  # a detector bug must not hide the other findings
            skipped.append(Skipped(name, f"detector failed: {type(exc).__name__}: {exc}"))
    return findings, skipped
