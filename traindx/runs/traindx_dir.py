"""Reads a traindx run directory (see traindx/record/writer.py for the format)."""
from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..errors import InputError
from .model import LayerTable, Run, Series


def is_run_dir(path: Path) -> bool:
    return path.is_dir() and any(path.glob("events*.jsonl"))


class _Suspect(dict):
    """A record whose line holds a JSON true/false somewhere: its numbers are checked one by one
    (numpy would quietly read a boolean as 1.0). Every other record takes the vectorised path."""


_BOOL = re.compile(rb"true|false")


def _records(path: Path, notes: list[str], numeric: bool = False):
    """Parsed lines of a JSON-lines file, one at a time (a long run's files are not held in memory
    as Python objects); a truncated or corrupt line is skipped with a note."""
    if not path.exists():
        return
    if not path.is_file():  # a device behind a link (/dev/zero, /dev/full) would read forever
        notes.append(f"{path.name}: not a regular file, skipped")
        return
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    bad: int | None = None  # a line that did not parse: corrupt, or truncated if nothing follows
    with f:
        for i, raw in enumerate(f, start=1):
            if raw.isspace():
                continue
            if bad is not None:
                notes.append(f"{path.name}: corrupt line {bad} skipped")
                bad = None
            try:
                rec = json.loads(raw)
            except (ValueError, UnicodeDecodeError, RecursionError):
                bad = i
                continue
            if isinstance(rec, dict):
                if numeric and _BOOL.search(raw):
                    rec = _Suspect(rec)
                yield rec
    if bad is not None:
        notes.append(f"{path.name}: truncated last line skipped")


def _fast_array(v, dtype, shape: tuple) -> np.ndarray | None:
    """`v` as an array of `shape` (-1: any length) in one numpy call, or None: the caller then
    takes the value-by-value path, which decides what is malformed."""
    if not isinstance(v, list):
        return None
    try:
        a = np.array(v, dtype=dtype)
    except (ValueError, TypeError, OverflowError):
        return None
    if a.ndim != len(shape) or any(want not in (-1, got) for want, got in zip(shape, a.shape)):
        return None
    return a


def _rank_of(path: Path) -> int:
    m = re.search(r"\.rank(\d+)\.jsonl$", path.name)
    return int(m.group(1)) if m else 0


# ----------------------------------------------------------------- validation of untrusted records
# A run directory may be cut by a crash or edited by hand: every value is checked before use, and a
# record that does not fit is skipped with a note, never trusted into a crash.
MAX_CELLS = 50_000_000  # steps x layers of one statistic; beyond this a table is not built
_BAD = object()


def _int(x) -> int | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return int(x) if abs(x) < 2 ** 62 else None


def _int_list(v) -> list[int] | None:
    if not isinstance(v, list):
        return None
    out = [_int(x) for x in v]
    return None if any(x is None for x in out) else out


def _squashed(v) -> dict | None:
    """A loss's input squashed by the function the loss applies again (see capture.squashed_input)."""
    if not isinstance(v, dict) or v.get("squash") not in ("softmax", "sigmoid"):
        return None
    return {"squash": v["squash"], "classes": _int(v.get("classes"))}


def _float(x):
    """A number (NaN/Infinity and their strings allowed, None = NaN), else _BAD."""
    if x is None:
        return math.nan
    if isinstance(x, bool):
        return _BAD
    if isinstance(x, (int, float)):
        try:
            return float(x)
        except OverflowError:
            return math.inf if x > 0 else -math.inf
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return _BAD
    return _BAD


def _float_list(v, n: int | None = None) -> list[float] | None:
    if not isinstance(v, list) or (n is not None and len(v) != n):
        return None
    out = [_float(x) for x in v]
    return None if any(x is _BAD for x in out) else out


def _matrix(v, rows: int, cols: int) -> np.ndarray | None:
    if not isinstance(v, list) or len(v) != rows:
        return None
    out = [_float_list(r, cols) for r in v]
    if any(r is None for r in out):
        return None
    return np.asarray(out, dtype=np.float64).reshape(rows, cols)


_last_layers: list = []


def _decode_block(text: str, rows: int, cols: int) -> np.ndarray | None:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        return None
    if len(raw) != 4 * rows * cols:
        return None
    return np.frombuffer(raw, dtype="<f4").astype(np.float64).reshape(rows, cols)


def _layer_chunk(rec: dict) -> dict | None:
    """{"steps", "layers", "stats": {name: (steps x layers) array}} or None when unusable."""
    fast = type(rec) is dict
    steps = _fast_array(rec.get("steps"), np.int64, (-1,)) if fast else None
    steps = steps.tolist() if steps is not None else _int_list(rec.get("steps"))
    layers, stats = rec.get("layers"), rec.get("stats")
    if steps is None or not isinstance(layers, list) or not isinstance(stats, dict):
        return None
    if not layers or (layers != _last_layers and not all(isinstance(n, str) for n in layers)):
        return None
    _last_layers[:] = layers  # consecutive chunks usually repeat the same layer list
    good, bad = {}, []
    for name, values in stats.items():
        if isinstance(values, str):  # the writer's form: base64 float32, steps x layers
            m = _decode_block(values, len(steps), len(layers))
        else:
            m = _fast_array(values, np.float64, (len(steps), len(layers))) if fast else None
            if m is None:
                m = _matrix(values, len(steps), len(layers))
        if m is not None:
            good[str(name)] = m
        else:
            bad.append(str(name)[:40])
    return {"steps": steps, "layers": layers, "stats": good, "bad": bad}


def _scalar_points(rec: dict) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(steps, values) of a scalars record: explicit "steps", or "first" for consecutive steps."""
    fast = type(rec) is dict
    values = _fast_array(rec.get("values"), np.float64, (-1,)) if fast else None
    if values is None:
        v = _float_list(rec.get("values"))
        values = None if v is None else np.asarray(v, dtype=np.float64)
    if values is None:
        return None, None
    if "first" in rec:
        first = _int(rec["first"])
        return (None, None) if first is None else (np.arange(first, first + len(values)), values)
    steps = _fast_array(rec.get("steps"), np.int64, (-1,)) if fast else None
    if steps is None:
        ints = _int_list(rec.get("steps"))
        steps = None if ints is None else np.asarray(ints, dtype=np.int64)
    return steps, values


def _str_dict(v) -> dict[str, str]:
    return {k: x for k, x in v.items() if isinstance(x, str)} if isinstance(v, dict) else {}


def _modules(v) -> list[dict]:
    if not isinstance(v, list):
        return []
    return [{"name": m["name"], "type": str(m.get("type", "")),
             "params": _int(m.get("params")) or 0}
            for m in v if isinstance(m, dict) and isinstance(m.get("name"), str)]


def _shapes(v) -> dict[str, list[int]]:
    if not isinstance(v, dict):
        return {}
    return {k: s for k, s in ((k, _int_list(x)) for k, x in v.items()) if s is not None}


# ----------------------------------------------------------------- tables
def _layer_table(chunks: list[dict], prefix: str = "") -> LayerTable | None:
    """Stack columnar chunks (each with its own layer list) into one steps x layers table."""
    layers: dict[str, int] = {}
    for c in chunks:
        for name in c["layers"]:
            layers.setdefault(prefix + name, len(layers))
    if not layers:
        return None
    names = sorted({k for c in chunks for k in c["stats"]})
    n_rows = sum(len(c["steps"]) for c in chunks)
    if n_rows * len(layers) * max(len(names), 1) > MAX_CELLS:
        raise ValueError(f"too large ({n_rows} steps x {len(layers)} layers)")
    # one (rows x layers) matrix per statistic, filled chunk by chunk: no per-chunk blocks
    steps = np.empty(n_rows, dtype=np.int64)
    stats = {name: np.full((n_rows, len(layers)), np.nan) for name in names}
    row = 0
    for c in chunks:
        cols = [layers[prefix + n] for n in c["layers"]]
        same = cols == list(range(len(layers)))
        n_steps = len(c["steps"])
        steps[row:row + n_steps] = c["steps"]
        for name, values in c["stats"].items():
            if same:
                stats[name][row:row + n_steps] = values
            else:
                stats[name][row:row + n_steps, cols] = values
        c["stats"] = {}  # drop the chunk's copy as soon as it is in the table
        row += n_steps
    if n_rows > 1 and not (np.diff(steps) >= 0).all():
        order = np.argsort(steps, kind="stable")
        steps, stats = steps[order], {k: v[order] for k, v in stats.items()}
    return LayerTable(steps=steps, layers=list(layers), stats=stats)


RESERVED_META = ("model", "param_shapes", "optimizers", "losses", "alerts", "checkpoint", "ranks")


def read_run_dir(path: Path) -> Run:
    path = Path(path)
    if not is_run_dir(path):
        raise InputError(path, "not a traindx run directory (no events.jsonl)")
    from .formats.common import name_signals  # formats/ registers its readers with runs/ on import
    try:
        run = _read(path)
        name_signals(run)
        return run
    except InputError:
        raise
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError,
            AttributeError, OverflowError) as exc:  # a last resort: never a traceback
        raise InputError(path, f"unreadable run directory ({type(exc).__name__}: {exc})") from None


def _read(path: Path) -> Run:
    run = Run(path=str(path), source_format="traindx")
    ranks = sorted({_rank_of(p) for p in path.glob("events*.jsonl")})
    multi = len(ranks) > 1
    ends: dict[int, dict] = {}
    starts: dict[int, dict] = {}
    scal: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
    param_chunks: list[dict] = []
    act_chunks: list[dict] = []
    kinds: dict[str, str] = {}
    unmeasured: dict[str, str] = {}
    # points written before the recorder knew better: key -> [(steps, records written before)]
    voids: dict[str, list[tuple[set[int], float]]] = defaultdict(list)
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
                modules = _modules(ev.get("modules"))
                run.meta.setdefault("model", []).extend(modules)
                run.meta.setdefault("param_shapes", {}).update(_shapes(ev.get("param_shapes")))
                kinds.update({m["name"]: m["type"] for m in modules})
            elif kind == "materialised" and rank == 0:  # lazy modules after their first forward
                modules = {m["name"]: m for m in _modules(ev.get("modules"))}
                kinds.update({name: m["type"] for name, m in modules.items()})
                run.meta["model"] = [modules.pop(m["name"], m) for m in run.meta.get("model", [])]
                run.meta["model"] += list(modules.values())
                run.meta.setdefault("param_shapes", {}).update(_shapes(ev.get("param_shapes")))
            elif kind == "alert" and isinstance(ev.get("problem"), str):
                run.meta.setdefault("alerts", []).append(
                    {"problem": ev["problem"], "step": _int(ev.get("step")), "rank": rank,
                     "severity": str(ev.get("severity", "")), "message": str(ev.get("message", ""))})
            elif kind == "framework" and rank == 0 and isinstance(ev.get("name"), str):
                run.meta["framework"] = ev["name"]
                if ev["name"] == "keras":  # its own description replaces the torch-side one of its
                    run.meta["model"], run.meta["param_shapes"] = [], {}  # layers (built before fit)
            elif kind == "loss" and rank == 0 and isinstance(ev.get("name"), str):
                run.meta.setdefault("losses", []).append(
                    {"name": ev["name"], "kind": str(ev.get("loss_kind", "other")), "train": ev.get("train") is True,
                     "input_dtype": str(ev.get("input_dtype") or ""), "weighted": ev.get("weighted") is True,
                     "squashed": _squashed(ev.get("squashed")), "summed": _int(ev.get("summed")),
                     "classes": _int(ev.get("classes"))})
            elif kind == "phase" and rank == 0 and _int(ev.get("step")) is not None:
                hp = ev.get("hparams") if isinstance(ev.get("hparams"), dict) else None
                run.meta.setdefault("phases", []).append((_int(ev.get("step")), hp))
            elif kind == "unoptimised" and rank == 0 and _int(ev.get("numel")) and _int(ev.get("total")):
                run.meta["unoptimised"] = {"params": [str(x) for x in ev.get("params") or []][:50],
                                           "numel": _int(ev.get("numel")), "total": _int(ev.get("total"))}
            elif kind == "separate_objectives" and rank == 0:
                run.meta["separate_objectives"] = True
            elif kind == "loss_weights":  # class or sample weights given to a framework's fit
                run.meta["weighted_loss"] = True
            elif kind == "optimizer" and rank == 0 and isinstance(ev.get("hparams"), dict):
                run.meta.setdefault("optimizers", []).append(ev["hparams"])
            elif kind == "labels" and rank == 0:
                run.labels = {k: v for k, v in ev.items()
                              if k != "event" and _float_list(v) is not None}
            elif kind == "activation_kinds" and rank == 0:
                kinds.update(_str_dict(ev.get("kinds")))
            elif kind == "unmeasured":
                unmeasured.update({tag + k: v for k, v in _str_dict(ev.get("modules")).items()})
            elif kind in ("warning", "note"):
                run.notes.append(f"{tag}{ev.get('message', '')}")
            elif kind == "eval_void":  # mixed-split evaluation phases written as eval_loss earlier
                steps, keys = _int_list(ev.get("steps")), ev.get("keys")
                # only the scalar records written before the void (the script's own numbers
                # for those steps may come later); an older run dir without the count: all
                before = _float(ev.get("before", math.inf))
                before = before if before is not _BAD else math.inf
                if steps is not None and isinstance(keys, list):
                    for key in keys:
                        if isinstance(key, str):
                            voids[tag + key].append((set(steps), before))
            elif kind == "context":
                for k, v in ev.items():
                    f = _float(v) if k != "event" and not isinstance(v, str) else _BAD
                    if f is not _BAD and math.isfinite(f):
                        run.context[k] = f
        for index, rec in enumerate(_records(path / f"scalars{suffix}.jsonl", run.notes, numeric=True)):
            steps, values = _scalar_points(rec)
            if not isinstance(rec.get("key"), str) or steps is None or values is None \
                    or len(steps) != len(values):
                run.notes.append(f"scalars{suffix}.jsonl: malformed record skipped")
                continue
            key = tag + rec["key"]
            for void_steps, before in voids.get(key, ()):
                if index < before:
                    keep = ~np.isin(steps, np.fromiter(void_steps, dtype=np.int64))
                    steps, values = steps[keep], values[keep]
            series = scal[key]
            series[0].append(steps)
            series[1].append(values)
        for name, sink in (("params", param_chunks), ("activations", act_chunks)):
            for rec in _records(path / f"{name}{suffix}.jsonl", run.notes, numeric=True):
                chunk = _layer_chunk(rec)
                if chunk is None:
                    run.notes.append(f"{name}{suffix}.jsonl: malformed record skipped")
                    continue
                for stat in chunk.pop("bad"):  # said once per statistic, not per record
                    note = f"{name}{suffix}.jsonl: unreadable {stat!r} blocks skipped"
                    if note not in run.notes:
                        run.notes.append(note)
                if tag:
                    chunk["layers"] = [tag + n for n in chunk["layers"]]
                sink.append(chunk)
    for key, (steps, values) in scal.items():
        series = Series.build(np.concatenate(steps), np.concatenate(values))
        if len(series) or key not in voids:
            run.scalars[key] = series
    for attr, chunks in (("params", param_chunks), ("activations", act_chunks)):
        try:
            setattr(run, attr, _layer_table(chunks))
        except (ValueError, MemoryError) as exc:
            run.notes.append(f"{attr} statistics skipped: {exc}")
    run.sample = _data_sample(path / "sample.npz", run.notes)
    if run.activations is not None:
        run.activations.kinds = {k: v for k, v in kinds.items() if k in run.activations.layers}
    if unmeasured:
        shown = ", ".join(f"{k} ({v})" for k, v in list(unmeasured.items())[:8])
        more = f" and {len(unmeasured) - 8} more" if len(unmeasured) > 8 else ""
        run.notes.append(f"activation statistics not measured for {len(unmeasured)} module(s) whose "
                         f"output is not a floating-point tensor: {shown}{more}")
    start = starts.get(0) or next(iter(starts.values()), {})
    run.meta.update({k: v for k, v in start.items() if k != "event" and k not in RESERVED_META})
    if multi:
        run.meta["ranks"] = ranks
        missing = [r for r in ranks if r not in ends]
        if missing and ends:
            run.notes.append(f"rank(s) {', '.join(map(str, missing))} wrote no end record "
                             "(still running, killed or crashed)")
    run.ended, run.last_step = _how_it_ended(ranks, ends, run)
    reason = next((e.get("reason") for e in ends.values() if isinstance(e.get("reason"), str)), None)
    if run.ended == "stopped" and reason:
        run.meta["stop_reason"] = reason
    passes = [n for n in (_int(e.get("backward_passes")) for e in ends.values()) if n]
    if passes:  # with no optimiser step ever: backward passes whose gradients nothing applied
        run.meta["backward_passes"] = sum(passes)
        bad = [n for n in (_int(e.get("backward_passes_non_finite")) for e in ends.values()) if n]
        run.meta["backward_passes_non_finite"] = sum(bad)
    codes = [c for c in (_int(e.get("exit_code")) for e in ends.values()) if c]
    if codes:  # the script's own exit code, for saying why a run could not be judged
        run.meta["exit_code"] = codes[0]
    _keep_one_phase(run)
    return run


MIN_PHASE_SHARE = 0.1  # a last training this much shorter than the longest is an afterthought


def _keep_one_phase(run: Run) -> None:
    """A script that trained several models in turn (a teacher then its student, pre-training
    then fine-tuning, k folds) is diagnosed on one of them: the first whose train loss turned
    non-finite (what came after trained on its broken output: fresh10's SimCLR pre-training went
    NaN, then its linear probe sat at ln 10), else the last (the model it ends with), unless that
    is under MIN_PHASE_SHARE of the longest (a calibration fit after the training); mixed, a new
    model's first loss reads as the old one's rebound."""
    optimizers = dict(run.meta.get("phases") or [])  # a phase's first step -> its optimiser
    starts = sorted(s for s in optimizers if s > 1)
    end = run.steps
    if not starts or not end:
        return
    bounds = [1, *starts, end + 1]
    spans = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
    longest = max(b - a for a, b in spans)
    first, stop = spans[-1] if spans[-1][1] - spans[-1][0] >= MIN_PHASE_SHARE * longest else \
        max(spans, key=lambda ab: ab[1] - ab[0])
    loss = run.scalars.get("train_loss")
    broken = [ab for ab in spans if loss is not None and not np.isfinite(_between(loss, *ab).values).all()]
    if broken:
        first, stop = broken[0]
    if stop != spans[-1][1]:
        run.labels = {}  # the counts restart with each training: these are the last one's
    run.scalars = {k: _between(v, first, stop) for k, v in run.scalars.items()}
    run.scalars = {k: v for k, v in run.scalars.items() if len(v)}
    for attr in ("params", "activations"):
        table = getattr(run, attr)
        if table is not None:
            rows = (table.steps >= first) & (table.steps < stop)
            table.steps, table.stats = table.steps[rows], {k: m[rows] for k, m in table.stats.items()}
    run.meta["phase"] = [first, stop - 1]
    if optimizers.get(first):  # the diagnosed training's optimiser is the run's (its setup line)
        run.meta["optimizers"] = [optimizers[first]]
    run.notes.append(f"the script trained {len(spans)} models in turn (a new optimiser over other "
                     f"parameters at step{'s' if len(starts) > 1 else ''} "
                     f"{', '.join(map(str, starts))}: a student after its teacher, fine-tuning after "
                     f"pre-training, folds); diagnosed: steps {first}-{stop - 1}")


def _between(s: Series, first: int, stop: int) -> Series:
    keep = (s.steps >= first) & (s.steps < stop)
    return Series(s.steps[keep], s.values[keep])


SAMPLE_KINDS = ("classification", "binary", "regression")


def _data_sample(path: Path, notes: list[str]) -> dict | None:
    """The recorder's sample of training rows (record/sample.py), checked for shape: numeric
    arrays only (no pickles), or a note and None."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as f:
            x, y, kind, classes = f["x"], f["y"], str(f["kind"]), int(f["classes"])
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        notes.append(f"sample.npz: unreadable ({type(exc).__name__}), skipped")
        return None
    if x.ndim != 2 or y.ndim != 2 or len(x) != len(y) or kind not in SAMPLE_KINDS or \
            x.dtype.kind != "f" or y.dtype.kind not in "fiu" or classes < 0:
        notes.append("sample.npz: not a sample of training rows, skipped")
        return None
    return {"x": x.astype(np.float32), "y": y, "kind": kind, "classes": classes}


def _how_it_ended(ranks: list[int], ends: dict[int, dict], run: Run) -> tuple[str, int | None]:
    last = max((s for s in (_int(e.get("step")) for e in ends.values()) if s is not None),
               default=None)
    if not ends or len(ends) < len(ranks):
        seen = [int(s.steps[-1]) for s in run.scalars.values() if len(s)]
        step = max(seen, default=last or 0)
        return "abrupt", step
    statuses = {e.get("status", "unknown") for e in ends.values() if isinstance(e.get("status", ""), str)}
    for status in ("stopped", "exception", "exited", "interrupted", "completed"):
        if status in statuses:
            return status, last
    return "unknown", last
