"""The Python API: `traindx.watch(...)` for explicit control, `traindx.log(...)` inside a run."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .record import Recorder, active
from .record.writer import unique_dir


class Watch:
    """Context manager around a Recorder; `w.log(step, val_loss=...)` adds metrics."""

    def __init__(self, model=None, optimizer=None, out: str | Path = "runs/watch", every: int | None = None,
                 **meta: Any):
        self.path = unique_dir(Path(out))
        models = [model] if model is not None else []
        self.recorder = Recorder(self.path, every=every, models=models, meta=meta)
        self.diagnosis = None

    def __enter__(self) -> "Watch":
        self.recorder.start()
        return self

    def log(self, step: int | None = None, **metrics: Any) -> None:
        self.recorder.log(step, **metrics)

    def __exit__(self, exc_type, exc, tb) -> bool:
        status = "completed" if exc_type is None else (
            "interrupted" if issubclass(exc_type, KeyboardInterrupt) else "exception")
        self.recorder.stop(status=status, exit_code=0 if exc_type is None else 1)
        return False


def watch(model=None, optimizer=None, out: str | Path = "runs/watch", every: int | None = None,
          **meta: Any) -> Watch:
    """Record a training: `with traindx.watch(model, optimizer, out="runs/x") as w: ...`.
    The optimiser is found through torch's global step hooks; passing it documents intent."""
    return Watch(model, optimizer, out=out, every=every, **meta)


_warned = []


def log(step: int | None = None, **metrics: Any) -> None:
    """Add metrics to the active recording (inside `traindx run` or `watch`); a no-op otherwise."""
    rec = active()
    if rec is None:
        if not _warned:
            _warned.append(True)
            print("traindx.log: no active recording (run the script with `traindx run`)", file=sys.stderr)
        return
    rec.log(step, **metrics)


def diagnose_path(path: str | Path, context: dict | None = None, rules_file: str | Path | None = None,
                  policy_file: str | Path | None = None):
    """Diagnose every run found at `path` as `traindx diagnose` does (the same policy file, plan
    and ordering); returns a list of `Report(run, diagnosis, plan)`."""
    from . import policy
    from .analysis import analyse
    from .runs import load_runs
    rules = Path(rules_file) if rules_file else None
    rules_policy = policy.load(Path(policy_file)) if policy_file else {}
    return [analyse(run, context, rules, rules_policy) for run in load_runs(path)]
