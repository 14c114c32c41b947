"""`traindx diagnose --follow RUN`: a live view of a run another process is writing.

Every `interval` seconds it re-reads the run (a traindx run directory, of one rank or several, or a
growing CSV/JSONL log), re-diagnoses it and redraws: the verdict so far, new findings, the curves
and the gradient flow. It ends by itself when the run has ended (every rank's end record), or when
nothing has been written for `idle` seconds (a plain log has no end record); Ctrl-C ends it too.
The last view stays on screen, followed by the full report."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from rich.console import Group
from rich.live import Live
from rich.text import Text

from ..analysis import Report
from ..errors import InputError
from ..report import terminal


def follow(path: Path, analyse_path: Callable[[], list[Report]], console, interval: float = 2.0,
           idle: float = 60.0) -> list[Report]:
    """Follow `path` until its run ends; returns the last reports (empty if none could be read)."""
    reports: list[Report] = []
    last_change, last_stamp = time.monotonic(), None
    waiting = "waiting for the first records"
    with Live(Text(f"following {path}: {waiting}"), console=console, refresh_per_second=4,
              transient=False) as live:
        try:
            while True:
                stamp = _stamp(path)
                if stamp and stamp != last_stamp:
                    last_stamp, last_change = stamp, time.monotonic()
                    try:
                        reports = analyse_path()
                        waiting = ""
                    except InputError as exc:  # not written yet, or half a line: try again
                        waiting = str(exc)
                    live.update(_view(path, reports, waiting))
                if reports and all(r.run.ended not in ("abrupt", "unknown") for r in reports):
                    break
                if time.monotonic() - last_change > idle:
                    break
                time.sleep(interval)
        except KeyboardInterrupt:
            pass
    return reports


def _view(path: Path, reports: list[Report], waiting: str) -> Group:
    parts = [Text(f"following {path} (Ctrl-C to stop)", style="dim")]
    if waiting:
        parts.append(Text(waiting, style="yellow"))
    for run, diagnosis, _ in reports:
        parts.append(terminal.verdict_line(run, diagnosis))
        if diagnosis.findings:
            parts.append(terminal.findings_table(diagnosis))
        for part in (terminal.loss_curves(run), terminal.gradient_flow(run)):
            if part is not None:
                parts.append(part)
    return Group(*parts)


def _stamp(path: Path) -> tuple:
    """Sizes and modification times of what is being written: a change means new records."""
    if not path.exists():
        return ()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = []
    for f in files[:500]:
        try:
            st = os.stat(f)
            out.append((str(f), st.st_size, st.st_mtime_ns))
        except OSError:
            continue
    return tuple(out)
