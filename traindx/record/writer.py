"""The run directory: append-only JSON-lines files, readable after a crash at any point.

    events.jsonl       start (schema, argv, meta), model, optimizer, warning, note (for the run's
                       notes), labels, eval_void (keys and steps of eval points written before the
                       run showed that its evaluation phases mix data splits: dropped), end
    scalars.jsonl      {"key": "train_loss", "steps": [...], "values": [...]}      (columnar chunks;
                       "first": N instead of "steps" when the steps are N, N+1, ...)
    params.jsonl       {"steps": [...], "layers": [...], "stats": {"grad_norm": "<base64>", ...}}
                       (each statistic a steps x layers block of little-endian float32, row-major;
                       the reader also takes nested JSON arrays [[...], ...])
    activations.jsonl  same shape as params.jsonl, one column per leaf module

Each record is written as one line with a single write() and flushed, so a killed process leaves at
most one truncated last line, which the reader skips. With several ranks (torchrun) each rank writes
its own files with a `.rankN` suffix before `.jsonl`.
"""
from __future__ import annotations

import base64
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..errors import InputError

SCHEMA = 1
FILES = ("events", "scalars", "params", "activations")


SCALAR_DIGITS = 7  # float32 precision: losses keep every digit they had
LAYER_DIGITS = 5   # per-layer statistics are compared in ratios and orders of magnitude


def _num(x: float, fmt: str = ".7g") -> str:
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return format(x, fmt)


def encode_floats(values: Iterable[float], digits: int = SCALAR_DIGITS) -> str:
    """A JSON array of floats with `digits` significant digits, NaN/Infinity allowed."""
    fmt = f".{digits}g"
    return "[" + ",".join(_num(float(v), fmt) for v in values) + "]"


def encode_block(matrix) -> str:
    """A (steps x layers) block as a JSON string: base64 of little-endian float32, row-major.
    The recorder computes these statistics in float32, so nothing is lost, and a long run's layer
    files parse ~10x faster than decimal text (numpy decodes them in one call)."""
    data = np.ascontiguousarray(np.asarray(matrix, dtype="<f4"))
    return '"' + base64.b64encode(data.tobytes()).decode("ascii") + '"'


def encode_steps(steps: list[int]) -> str:
    """`"first":N` for consecutive steps (the usual case: one point per optimiser step), else the
    explicit `"steps":[...]`. A 1M-step run's scalars shrink by a third and parse faster."""
    if len(steps) > 1 and steps[-1] - steps[0] == len(steps) - 1 and \
            all(b - a == 1 for a, b in zip(steps, steps[1:])):
        return f'"first":{int(steps[0])}'
    return f'"steps":{json.dumps(steps)}'


def unique_dir(path: Path) -> Path:
    """`path` if it does not exist or is empty, else the first free `path-2`, `path-3`, ..."""
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.name}-{n}")
        if not candidate.exists():
            return candidate
        n += 1


CLAIM = ".traindx-launch"  # names the launch (all ranks of one torchrun) that owns a directory


def env_number(name: str, default: float, *, whole: bool = True, minimum: float = 0) -> float:
    """A number from the environment (RANK, WORLD_SIZE, TRAINDX_RANK_WAIT), checked before the
    script starts: a bad value is one line and exit 2, not a traceback after the launch began."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < minimum or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise InputError(f"${name}", f"must be {kind} >= {minimum:g}, got {text[:40]!r}")
    return int(value) if whole else value


def launch_env() -> tuple[int, int]:
    """(rank, world size) of this process, validated."""
    rank, world = env_number("RANK", 0), env_number("WORLD_SIZE", 1, minimum=1)
    if rank >= world:
        raise InputError("$RANK", f"is {rank}, but $WORLD_SIZE is {world}")
    return rank, world


def safe_name(text: str, limit: int = 100) -> str:
    """`text` as one path component: letters, digits, '.', '_' and '-' only, no leading dot (a
    name from the environment, a config or a metric never climbs out of its folder)."""
    name = "".join(c if c.isalnum() and c.isascii() or c in "._-" else "_" for c in text)
    return name.lstrip(".")[:limit] or "_"


def launch_key() -> str:
    """Same string in every rank of one launch, different across launches, without collectives:
    torchrun's run id, else the rendezvous address and the launching agent's pid."""
    env = os.environ
    run_id = env.get("TORCHELASTIC_RUN_ID", "")
    if launch_env()[1] > 1:
        if run_id and run_id != "none":
            return f"torchrun:{run_id}"
        return f"torchrun:{env.get('MASTER_ADDR', '')}:{env.get('MASTER_PORT', '')}:{os.getppid()}"
    return f"pid:{os.getpid()}:{time.time_ns()}"


def claim_dir(path: Path, key: str | None = None) -> Path:
    """The run directory for this launch: `path`, or the first free sibling `path-2`, `path-3`...
    A directory is taken atomically (a hard-linked claim file), so two runs never share one and
    every rank of one torchrun launch lands in the same one. An existing run is never touched."""
    key = key or launch_key()
    candidate = path
    for n in range(2, 10_000):
        if _claimed_by(candidate) == key:
            return candidate  # another rank of this launch took it
        try:
            free = not candidate.exists() or (candidate.is_dir() and not any(candidate.iterdir()))
            if free:
                candidate.mkdir(parents=True, exist_ok=True)
                tmp = candidate.parent / f".{candidate.name}.{os.getpid()}.{time.time_ns()}.claim"
                tmp.write_text(key, encoding="utf-8")
                try:
                    os.link(tmp, candidate / CLAIM)  # atomic: fails if someone claimed it first
                    return candidate
                except FileExistsError:
                    if _claimed_by(candidate) == key:
                        return candidate
                finally:
                    tmp.unlink(missing_ok=True)
        except OSError:
            return candidate  # unwritable: the writer says so once and recording stops
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _claimed_by(path: Path) -> str | None:
    try:
        return (path / CLAIM).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class RunWriter:
    """Appends records to a run directory. A write that fails (disk full, read-only directory)
    disables the writer with one warning; the training goes on."""

    def __init__(self, path: Path, rank: int = 0, world_size: int = 1):
        # absolute once, before the script runs: a script may os.chdir (Hydra does at start-up)
        self.path = Path(path).absolute()
        self.rank = rank
        suffix = f".rank{rank}" if world_size > 1 else ""
        self._files: dict[str, Any] = {}
        self.scalar_records = 0
        # what the current flush wrote, for listeners (live checks) on the host data it moved
        self.window: dict[str, Any] = {"scalars": {}, "layers": []}
        self._names = {name: self.path / f"{name}{suffix}.jsonl" for name in FILES}
        self.broken: str | None = None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(exc)

    def _disable(self, exc: Exception) -> None:
        if self.broken is None:
            self.broken = str(exc)
            print(f"traindx: cannot write to {self.path} ({exc}); recording stopped, training goes on",
                  file=sys.stderr)
        self.close()

    def _write(self, name: str, line: str) -> None:
        if self.broken:
            return
        try:
            f = self._files.get(name)
            if f is None:
                f = self._files[name] = open(self._names[name], "a", encoding="utf-8")
            f.write(line + "\n")
            f.flush()
        except OSError as exc:
            self._disable(exc)

    def event(self, kind: str, **fields: Any) -> None:
        self._write("events", json.dumps({"event": kind, **fields}, default=str))

    def new_window(self) -> dict[str, Any]:
        """Start collecting a flush's records; returns the previous window."""
        window, self.window = self.window, {"scalars": {}, "layers": []}
        return window

    def scalars(self, key: str, steps: list[int], values: Iterable[float]) -> None:
        values = list(values)
        into = self.window["scalars"].setdefault(key, ([], []))
        into[0].extend(steps)
        into[1].extend(values)
        self.scalar_records += 1  # an eval_void event voids only the records written before it
        self._write("scalars", f'{{"key":{json.dumps(key)},{encode_steps(list(steps))},'
                               f'"values":{encode_floats(values)}}}')

    def layers(self, name: str, steps: list[int], layers: list[str],
               stats: dict[str, Iterable[Iterable[float]]]) -> None:
        self.window["layers"].append((name, steps, layers, stats))
        body = ",".join(f"{json.dumps(k)}:{encode_block(v)}" for k, v in stats.items())
        self._write(name, f'{{"steps":{json.dumps(steps)},"layers":{json.dumps(layers)},'
                          f'"stats":{{{body}}}}}')

    def close(self) -> None:
        for f in self._files.values():
            try:
                f.close()
            except OSError:
                pass
        self._files.clear()
