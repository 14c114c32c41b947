"""The Python API: `traindx.watch(...)` for explicit control, `traindx.log(...)` inside a run."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .record import Recorder, active
from .record.recorder import StopTraining
from .record.writer import unique_dir


class Watch:
    """Context manager around a Recorder; `w.log(step, val_loss=...)` adds metrics."""

    def __init__(self, model=None, optimizer=None, out: str | Path = "runs/watch", every: int | None = None,
                 stop_on: str | None = None, alerts: bool = True, **meta: Any):
        from .live import Monitor
        self.path = unique_dir(Path(out))
        models = [model] if model is not None else []
        self.recorder = Recorder(self.path, every=every, models=models, meta=meta)
        if alerts or stop_on:
            self.recorder.listeners.append(Monitor(stop_on=stop_on))
        self.diagnosis = None
        self.stopped: StopTraining | None = None  # set when traindx ended the block (stop_on)

    def __enter__(self) -> "Watch":
        self.recorder.start()
        return self

    def log(self, step: int | None = None, **metrics: Any) -> None:
        self.recorder.log(step, **metrics)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and issubclass(exc_type, StopTraining):
            # traindx ended the training (stop_on): the block ends there, the script goes on
            self.stopped = exc
            self.recorder.stop(status="stopped", exit_code=None, reason=exc.why)
            print(f"traindx: {exc}", file=sys.stderr)
            return True
        status = "completed" if exc_type is None else (
            "interrupted" if issubclass(exc_type, KeyboardInterrupt) else "exception")
        self.recorder.stop(status=status, exit_code=0 if exc_type is None else 1)
        return False


def watch(model=None, optimizer=None, out: str | Path = "runs/watch", every: int | None = None,
          stop_on: str | None = None, alerts: bool = True, **meta: Any) -> Watch:
    """Record a training: `with traindx.watch(model, optimizer, out="runs/x") as w: ...`.
    The optimiser is found through torch's global step hooks; passing it documents intent.
    Live alerts go to stderr (`alerts=False`: none); `stop_on="error"` ends the block at the
    step boundary after an alert at that level (`w.stopped` then holds why)."""
    return Watch(model, optimizer, out=out, every=every, stop_on=stop_on, alerts=alerts, **meta)


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
