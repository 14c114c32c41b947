"""What every callback shares: one recording from the framework's start-of-fit to its end.

Inside `traindx run` or `traindx.watch` a recording is already active: the callback then feeds
that one (the framework's model, its logged values, its sanity check paused) and leaves the
ending and the report to its owner, so the two routes never record twice."""
from __future__ import annotations

import atexit
import logging
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

from ..analysis import Report, analyse


class Session:
    def __init__(self, framework: str, out: str | Path = "runs/traindx", every: int | None = None,
                 report: bool = True, stop_on: str | None = None):
        from ..live import LEVELS
        if stop_on is not None and stop_on not in LEVELS:
            raise ValueError(f"stop_on must be one of {', '.join(LEVELS)}, got {stop_on!r}")
        self.framework, self.out, self.every, self.print_report = framework, Path(out), every, report
        self.stop_on = stop_on
        self.recorder = None
        self.owner = False  # this session started the recorder (else `traindx run` did)
        self.report: Report | None = None
        self._paused: ExitStack | None = None

    @property
    def path(self) -> Path | None:
        return self.recorder.writer.path if self.owner and self.recorder is not None else None

    def begin(self, model=None, **meta: Any) -> None:
        """Start recording (or join the active recording) with the framework's model."""
        from ..record import Recorder, active
        from ..record.writer import unique_dir
        if self.recorder is not None:  # a second fit with the same callback: one run, on from here
            self.recorder.add_model(model)
            return
        running = active()
        if running is not None:
            self.recorder, self.owner = running, False
            running.add_model(model)
            running.writer.event("framework", name=self.framework, **_plain(meta))
            return
        self.recorder = Recorder(unique_dir(self.out), every=self.every, models=[],
                                 meta={"framework": self.framework, **_plain(meta)})
        self.owner = True
        from ..live import Monitor
        self.recorder.listeners.append(Monitor(stop_on=self.stop_on))  # live alerts on stderr
        self.recorder.start()
        self.recorder.add_model(model)
        atexit.register(self._end_at_exit)

    def log(self, step: int | None, **metrics: Any) -> None:
        """The framework's evaluation metrics: the run's eval series."""
        if self.recorder is not None and metrics:
            self.recorder.log(step, **metrics)

    def fill(self, step: int | None, **metrics: Any) -> None:
        """The framework's per-step values: used where capture measured nothing of the kind."""
        if self.recorder is not None and metrics:
            self.recorder.log_framework(step, **metrics)

    def pause(self) -> None:
        """Stop seeing steps and losses (Lightning's sanity check is not an evaluation pass)."""
        if self.recorder is not None and self._paused is None:
            self._paused = ExitStack()
            self._paused.enter_context(self.recorder.paused())

    def resume(self) -> None:
        if self._paused is not None:
            paused, self._paused = self._paused, None
            paused.close()

    def end(self, status: str = "completed", exit_code: int | None = None,
            say: Callable[[str], None] | None = None) -> Report | None:
        """Finish the recording, diagnose it, print the report; `say` also gets one line per
        problem found (the framework's own logger). Only the session that started the
        recording ends it; never raises into the training."""
        self.resume()
        if not self.owner or self.recorder is None or self.report is not None:
            return None
        atexit.unregister(self._end_at_exit)
        if self.recorder.stop_reason is not None:  # traindx itself ended the fit (stop_on)
            status = "stopped"
        try:
            self.recorder.stop(status=status, exit_code=exit_code, reason=self.recorder.stop_reason)
            if self.recorder.rank != 0:
                return None
            self.report = self._diagnose()
        except Exception as exc:  # a diagnosis that fails must not fail the user's fit
            print(f"traindx: could not diagnose {self.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            return None
        if say is not None:
            for line in summary_lines(self.report):
                try:
                    say(line)
                except Exception:
                    break
        return self.report

    def _diagnose(self) -> Report:
        from ..report import document, terminal
        from ..runs import load_runs
        from rich.console import Console
        report = analyse(load_runs(self.path)[0])
        try:
            (self.path / "report.json").write_text(document.dumps(document.build(*report)) + "\n")
        except OSError as exc:
            print(f"traindx: could not save {self.path / 'report.json'} ({exc.strerror})", file=sys.stderr)
        if self.print_report:
            con = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 110)
            con.print()
            terminal.show(con, *report)
            con.print(f"run directory: {self.path}  (traindx diagnose {self.path})")
        return report

    def _end_at_exit(self) -> None:
        """The framework never reached its end-of-fit hook (HF has no exception hook): the script
        is ending, so end the run as Python saw it end."""
        last = getattr(sys, "last_type", None)
        status = "interrupted" if last is not None and issubclass(last, KeyboardInterrupt) else \
            "exception" if last is not None else "unknown"
        self.end(status, exit_code=None if last is None else 1)


def summary_lines(report: Report) -> list[str]:
    """One line per warning or error, for a framework's logger; the verdict when there is none."""
    lines = [f"traindx: {f.severity.value}: {f.problem}: {f.summary}"
             for f in report.diagnosis.findings if f.severity.rank >= 1]
    if not lines:
        lines = [f"traindx: {report.diagnosis.verdict}"
                 + (": " + "; ".join(report.diagnosis.not_judged_reasons) if not report.diagnosis.judged else "")]
    return lines


def python_logger(name: str) -> Callable[[str], None]:
    return logging.getLogger(name).warning


def metric_counts(report: Report) -> dict[str, float]:
    """Numbers a metrics logger (TensorBoard, CSV) can plot: findings per severity."""
    counts = {"traindx/errors": 0.0, "traindx/warnings": 0.0}
    for f in report.diagnosis.findings:
        if f.severity.rank == 2:
            counts["traindx/errors"] += 1
        elif f.severity.rank == 1:
            counts["traindx/warnings"] += 1
    return counts


def number(value) -> float | None:
    """A framework's logged value as a float, or None (a tensor stays a tensor: no host sync)."""
    if hasattr(value, "detach") and getattr(value, "numel", lambda: 0)() == 1:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _plain(meta: dict) -> dict:
    """Meta values the event log can hold (numbers, strings, booleans, None)."""
    return {k: v for k, v in meta.items() if isinstance(v, (int, float, str, bool, type(None)))}
