"""Reads a traindx run directory (see traindx/record/writer.py for the format)."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..errors import InputError
from .model import LayerTable, Run, Series


def is_run_dir(path: Path) -> bool:
    return path.is_dir() and any(path.glob("events*.jsonl"))


def _records(path: Path, notes: list[str]) -> list[dict]:
    """Parsed lines of a JSON-lines file; a truncated or corrupt line is skipped with a note."""
    out: list[dict] = []
    if not path.exists():
        return out
    try:
        lines = path.read_bytes().split(b"\n")
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            last = all(not x.strip() for x in lines[i + 1:])
            notes.append(f"{path.name}: {'truncated last line' if last else f'corrupt line {i + 1}'} skipped")
            continue
        if isinstance(rec, dict):
            out.append(rec)
    return out


def _rank_of(path: Path) -> int:
    m = re.search(r"\.rank(\d+)\.jsonl$", path.name)
    return int(m.group(1)) if m else 0


def _layer_table(chunks: list[dict], prefix: str = "") -> LayerTable | None:
    """Stack columnar chunks (each with its own layer list) into one steps x layers table."""
    layers: dict[str, int] = {}
    for c in chunks:
        for name in c.get("layers", []):
            layers.setdefault(prefix + name, len(layers))
    if not layers:
        return None
    steps: list[int] = []
    stats: dict[str, list[np.ndarray]] = defaultdict(list)
    names = sorted({k for c in chunks for k in c.get("stats", {})})
    for c in chunks:
        cols = [layers[prefix + n] for n in c["layers"]]
        n_steps = len(c["steps"])
        steps.extend(int(s) for s in c["steps"])
        for name in names:
            block = np.full((n_steps, len(layers)), np.nan)
            values = c["stats"].get(name)
            if values is not None:
                arr = np.asarray(values, dtype=np.float64).reshape(n_steps, len(cols))
                block[:, cols] = arr
            stats[name].append(block)
    order = np.argsort(np.asarray(steps), kind="stable")
    return LayerTable(
        steps=np.asarray(steps, dtype=np.int64)[order],
        layers=list(layers),
        stats={k: np.concatenate(v)[order] for k, v in stats.items()},
    )


def read_run_dir(path: Path) -> Run:
    path = Path(path)
    if not is_run_dir(path):
        raise InputError(path, "not a traindx run directory (no events.jsonl)")
    run = Run(path=str(path), source_format="traindx")
    ranks = sorted({_rank_of(p) for p in path.glob("events*.jsonl")})
    multi = len(ranks) > 1
    ends: dict[int, dict] = {}
    starts: dict[int, dict] = {}
    scal: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    param_chunks: list[dict] = []
    act_chunks: list[dict] = []
    kinds: dict[str, str] = {}
    for rank in ranks:
        suffix = f".rank{rank}" if multi else ""
        tag = f"rank{rank}/" if multi and rank else ""
        for ev in _records(path / f"events{suffix}.jsonl", run.notes):
            kind = ev.get("event")
            if kind == "start":
                starts[rank] = ev
            elif kind == "end":
                ends[rank] = ev
            elif kind == "model" and rank == 0:
                run.meta.setdefault("model", []).extend(ev.get("modules", []))
                run.meta.setdefault("param_shapes", {}).update(ev.get("param_shapes", {}))
                kinds.update({m["name"]: m["type"] for m in ev.get("modules", []) if "name" in m})
            elif kind == "optimizer" and rank == 0:
                run.meta.setdefault("optimizers", []).append(ev.get("hparams", {}))
            elif kind == "labels" and rank == 0:
                run.labels = {k: v for k, v in ev.items() if k != "event"}
            elif kind == "activation_kinds" and rank == 0:
                kinds.update(ev.get("kinds", {}))
            elif kind == "warning":
                run.notes.append(str(ev.get("message", "")))
            elif kind == "context":
                run.context.update({k: float(v) for k, v in ev.items()
                                    if k != "event" and isinstance(v, (int, float))})
        for rec in _records(path / f"scalars{suffix}.jsonl", run.notes):
            try:
                steps, values = scal[tag + str(rec["key"])]
                if len(rec["steps"]) != len(rec["values"]):
                    raise ValueError
                steps.extend(rec["steps"])
                values.extend(rec["values"])
            except (KeyError, TypeError, ValueError):
                run.notes.append(f"scalars{suffix}.jsonl: malformed record skipped")
        for name, sink in (("params", param_chunks), ("activations", act_chunks)):
            for rec in _records(path / f"{name}{suffix}.jsonl", run.notes):
                if rank and multi:
                    rec = {**rec, "layers": [f"rank{rank}/{n}" for n in rec.get("layers", [])]}
                if isinstance(rec.get("steps"), list) and isinstance(rec.get("layers"), list):
                    sink.append(rec)
    for key, (steps, values) in scal.items():
        try:
            run.scalars[key] = Series.build(steps, [np.nan if v is None else v for v in values])
        except (TypeError, ValueError):
            run.notes.append(f"scalars: series {key!r} has non-numeric values; skipped")
    try:
        run.params = _layer_table(param_chunks)
        run.activations = _layer_table(act_chunks)
    except (KeyError, TypeError, ValueError):
        run.notes.append("layer statistics malformed; skipped")
    if run.activations is not None:
        run.activations.kinds = {k: v for k, v in kinds.items() if k in run.activations.layers}
    start = starts.get(0) or next(iter(starts.values()), {})
    run.meta.update({k: v for k, v in start.items() if k not in ("event",)})
    if multi:
        run.meta["ranks"] = ranks
    run.ended, run.last_step = _how_it_ended(ranks, ends, run)
    return run


def _how_it_ended(ranks: list[int], ends: dict[int, dict], run: Run) -> tuple[str, int | None]:
    last = None
    if ends:
        last = max((int(e.get("step", 0)) for e in ends.values()), default=None)
    if not ends or len(ends) < len(ranks):
        seen = [int(s.steps[-1]) for s in run.scalars.values() if len(s)]
        step = max(seen, default=last or 0)
        return "abrupt", step
    statuses = {e.get("status", "unknown") for e in ends.values()}
    for status in ("exception", "interrupted", "completed"):
        if status in statuses:
            return status, last
    return "unknown", last
