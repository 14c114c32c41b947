"""The versioned JSON document for one diagnosed run (SPEC: `--format json`)."""
from __future__ import annotations

import json
import math
from typing import Any

from .. import __version__
from ..diagnose import Diagnosis
from ..runs.model import Run

SCHEMA = 1


def _clean(x: Any) -> Any:
    """JSON-safe: NaN/Inf become null, numpy scalars become Python numbers."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            x = x.item()
        except (ValueError, TypeError):
            return str(x)
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def run_info(run: Run) -> dict[str, Any]:
    return {"path": run.path, "format": run.source_format, "steps": run.steps, "ended": run.ended,
            "signals": sorted(k for k in run.scalars) + [k for k in ("params", "activations", "labels")
                                                         if run.has(k)],
            "notes": run.notes}


def build(run: Run, diagnosis: Diagnosis, plan: list) -> dict[str, Any]:
    return _clean({
        "traindx": __version__, "schema": SCHEMA, "run": run_info(run),
        "verdict": diagnosis.verdict,
        "not_judged_reasons": diagnosis.not_judged_reasons,  # [] unless the verdict is "not judged"
        **({"stopped_by_traindx": diagnosis.stopped} if diagnosis.stopped else {}),
        "profile": diagnosis.profile.to_dict() if diagnosis.profile is not None else {},
        "findings": [f.to_dict() for f in diagnosis.findings],
        "skipped": [{"detector": s.detector, "reason": s.reason} for s in diagnosis.skipped],
        "plan": [item.to_dict() for item in plan],
    })


def render(reports: list, options=None) -> str:
    """One document for one run, a list for several."""
    docs = [build(run, diagnosis, plan) for run, diagnosis, plan in reports]
    return dumps(docs[0] if len(docs) == 1 else docs) + "\n"


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, allow_nan=False)
