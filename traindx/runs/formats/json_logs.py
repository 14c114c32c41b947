"""JSON logs: generic JSON lines, and Hugging Face Trainer's `trainer_state.json`.

- JSONL (`.jsonl`, `.ndjson`, or a `.txt`/`.json`/`.log` whose first two lines are objects, as
  DeiT's `log.txt` and detectron2's `metrics.json`): one object per line, one line per step or epoch; nested objects are
  flattened with `/` (`{"train": {"loss": 1}}` is `train/loss`). A corrupt line is skipped with a
  note. fairseq's `--log-format json` is read too: its `| ` header lines (or a logging prefix
  ending in `| ` before each object) are skipped, numbers written as strings are numbers, and
  `num_updates` is the step (`train_num_updates`, `valid_num_updates` on the epoch summaries).
- Hugging Face (`transformers.TrainerState.save_to_json`): `{"global_step", "max_steps",
  "log_history": [...]}`; each training log holds `loss, grad_norm, learning_rate, epoch, step`,
  each evaluation `eval_loss, eval_<metric>, eval_runtime, ..., step`, and the final entry the
  whole-run averages (`train_loss, train_runtime, total_flos`), which is not a point of the curve.
  The same entries printed to the console (`{'loss': 0.6931, ..., 'epoch': 0.5}`, a `.log`/`.txt`)
  are read as its log_history, placed by their fractional epoch.
- A record's `mode`/`split`/`phase`/`stage` field names the split of its metrics (mmcv's
  `*.log.json`); an `iter` that restarts every epoch is counted on across epochs.
  Non-finite values are written as `NaN`/`Infinity`. An output directory holds it at the top or in
  `checkpoint-N/` folders; the latest one is read (each is cumulative).
- skorch (`net.history.to_file("history.json")`): a JSON list with one object per epoch
  (`epoch`, `train_loss`, `valid_loss`, `valid_acc`, `dur`, `batches` with per-batch losses, and
  `*_best` flags); the points are epochs.
- Keras `History` saved as JSON (`json.dump(model.fit(...).history, f)`): one object of equal-length
  lists, one value per epoch (`loss`, `val_loss`, `accuracy`, `val_accuracy`, `learning_rate`);
  epochs count from 1; a key holding one number rather than a list is not a curve (noted).
- YAML (`.yaml`/`.yml`): a list of per-step or per-epoch mappings (read as JSON lines are), or a
  mapping of equal-length lists with a loss (a History dumped as YAML); configs and hparams files
  (no curves) are not taken for logs.
- Exported series: Sacred (FileStorageObserver, `<run_id>/metrics.json`: one object per metric with
  `steps`, `values` and `timestamps` lists, `_run.log_scalar("training.loss", v, step)`; a run
  folder or the observer's folder reads through the search for it), ClearML
  (`Task.get_reported_scalars()` dumped: `{title: {series: {"x": [...], "y": [...]}}}`), Aim-style
  exports (a list of `{"name", "context": {"subset": "train"}, "steps", "values"}`), a list of named
  series of point objects (`[{"name": "train/loss", "values": [{"step": 0, "value": 1.9}, ...]}]`, as
  Neptune's `fetch_values()` is exported): each series is named by its path (`loss/train`) and its
  context.
"""
from __future__ import annotations

import ast
import io
import json
import pickletools
import re
import zipfile
from pathlib import Path

import numpy as np

from ...errors import InputError
from ...safe_io import load_yaml
from .. import register_reader
from . import columns
from .common import Collector, EpochSteps, as_step, build_run, number, read_text

JSONL_SUFFIXES = (".jsonl", ".ndjson")
HF_SKIP = {"total_flos", "train_runtime", "train_samples_per_second", "train_steps_per_second",
           "eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "step", "epoch"}


def _flatten(obj: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "/"))
        else:
            out[name] = value
    return out


def read_jsonl(path: Path):
    text = read_text(path, "JSON-lines text file")
    lines = text.splitlines()
    got, notes = Collector(), []
    records, text_lines = [], 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        line = _json_part(line)
        if line is None:  # fairseq's `| dictionary: 44 types` header, a printed line
            text_lines += 1
            continue
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply to be a record
            last = all(not x.strip() for x in lines[i + 1:])
            notes.append(f"{path.name}: {'truncated last line' if last else f'corrupt line {i + 1}'} skipped")
            continue
        if isinstance(rec, dict):
            records.append((i, _flatten(rec)))
    if not records:
        raise InputError(path, "no JSON objects, one per line, in this file")
    if text_lines:
        notes.append(f"{path.name}: {text_lines} line(s) of text, not JSON, skipped")
    return [_from_records(path, "jsonl", records, notes, got)]


PREFIXED = re.compile(r"^[^{]*\|\s*(\{.*)$")  # fairseq's logging: `2021-01-01 ... | train_inner | {...}`


def _json_part(line: str) -> str | None:
    """The JSON object a log line holds: the line itself when it starts with `{`, else one after a
    `... | ` logging prefix; None for a line of text."""
    line = line.strip()
    if line.startswith("{"):
        return line
    m = PREFIXED.match(line)
    return m.group(1) if m else None


def _from_records(path: Path, fmt: str, records: list[tuple[int, dict]], notes: list[str],
                  got: Collector | None = None):
    """A Run from flat records (line or item number, {key: value}), one per step or epoch: the
    axis is a step field, else `epoch`, else the record's position."""
    got = got or Collector()
    keys = list(dict.fromkeys(k for _, r in records for k in r))
    step_key = next((k for k in ("step", "global_step", "iteration", "iter", "_step", "num_updates")
                     if k in keys), None) or next((k for k in keys if columns.axis(k) == "step"), None)
    # (an epoch field in another language: `época`, `轮次`, `dönem`)
    epoch_key = "epoch" if "epoch" in keys else next((k for k in keys if columns.axis(k) == "epoch"), None)
    axis = step_key or epoch_key
    unroll = EpochSteps()
    step = -1
    for i, rec in records:
        # a summary line names its step after its split (fairseq: `valid_num_updates`)
        value = rec.get(axis) if axis in rec else next(
            (v for k, v in rec.items() if _split_axis(k, axis)), None) if axis else None
        cell = as_step(value) if axis else None
        if step_key and epoch_key and step_key != epoch_key:
            cell = unroll(cell, as_step(rec.get(epoch_key)))
        step = cell if cell is not None else step + 1
        split = _record_split(rec)
        for key, value in rec.items():
            if key != axis and not _split_axis(key, axis) and not isinstance(value, list) and \
                    key not in SPLIT_FIELDS:
                got.add(_in_split(key, split), step, value, where=f"{'item' if fmt == 'yaml' else 'line'} {i + 1}")
    if axis is None:
        notes.append("no step or epoch field: lines counted as steps")
    notes += unroll.note(step_key or "")
    meta = {"x_axis": "epoch"} if axis is not None and axis == epoch_key else None  # each point is an epoch
    return build_run(path, fmt, got.raw, notes=notes + got.notes(), what="field", meta=meta)


SPLIT_PREFIXES = ("train", "valid", "val", "test", "eval", "dev")
# a field that names the split of its record's metrics (mmcv's `{"mode": "val", "recall": 50.0}`)
SPLIT_FIELDS = ("mode", "split", "phase", "stage", "subset")


def _record_split(rec: dict) -> str | None:
    """The split a record's field names (`"mode": "val"`), else None."""
    for field in SPLIT_FIELDS:
        value = rec.get(field)
        if isinstance(value, str) and columns.split_of(value) is not None:
            return value.strip()
    return None


def _in_split(key: str, split: str | None) -> str:
    """A metric of a record whose split a field names, under that split (`val/recall`), unless its
    own name says a split already, or it is an axis (the epoch of a val record is the epoch)."""
    if split is None or columns.split_of(key) is not None or columns.axis(key) is not None:
        return key
    return f"{split}/{key}"


def _split_axis(key: str, axis: str | None) -> bool:
    """A split's own axis field (fairseq's `valid_num_updates`), not a metric: `train_loss_step`
    (Lightning's per-step loss) ends in `_step` too and is a metric."""
    return bool(axis) and key.endswith("_" + axis) and key[:-len(axis) - 1] in SPLIT_PREFIXES


# -- Hugging Face ------------------------------------------------------------------------------

def _hf_state(path: Path) -> Path | None:
    if path.is_file():
        return path if path.name == "trainer_state.json" else None
    if not path.is_dir():
        return None
    if (path / "trainer_state.json").is_file():
        return path / "trainer_state.json"
    checkpoints = [p for p in path.glob("checkpoint-*/trainer_state.json")]
    if not checkpoints:
        return None
    return max(checkpoints, key=lambda p: int(re.sub(r"\D", "", p.parent.name) or 0))


def read_hf(path: Path):
    state_path = _hf_state(path) or path
    text = read_text(state_path, "JSON file")
    try:
        state = json.loads(text)
    except ValueError as exc:
        raise InputError(state_path, f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise InputError(state_path, "refused: JSON nested too deeply") from None
    history = state.get("log_history") if isinstance(state, dict) else None
    if not isinstance(history, list):
        raise InputError(state_path, "no log_history list: not a Hugging Face trainer_state.json")
    got, notes = Collector(), []
    _hf_points(history, got, "log_history[{}]")
    meta = {k: state[k] for k in ("global_step", "max_steps", "num_train_epochs", "best_metric",
                                  "best_model_checkpoint") if k in state}
    ended = "unknown"
    if isinstance(state.get("global_step"), int) and isinstance(state.get("max_steps"), int):
        if state["global_step"] >= state["max_steps"] > 0:
            ended = "completed"
        else:
            notes.append(f"stopped at step {state['global_step']} of {state['max_steps']} "
                         "(early stopping, an interruption or a crash)")
    if state_path.parent.name.startswith("checkpoint-"):
        notes.append(f"read {state_path.parent.name}/trainer_state.json, the latest checkpoint")
    meta["optimizers"] = [trainer_optimizer(state_path.parent)]
    run = build_run(path, "huggingface", got.raw, notes=notes + got.notes(), meta=meta, ended=ended,
                    what="key")
    if isinstance(state.get("global_step"), int):
        run.last_step = int(state["global_step"])
    return [run]


MAX_ARGS_PICKLE = 1 << 20  # a TrainingArguments pickles to ~10 KB


def trainer_optimizer(folder: Path) -> dict:
    """The Trainer's optimiser: the `optim` its training_args.bin names, beside the log, else the
    Trainer's default (AdamW), said so (a trainer_state.json does not name it)."""
    name = _saved_optim(folder / "training_args.bin")
    if name is not None:
        return {"type": name, "source": "training_args.bin's optim"}
    return {"type": "AdamW", "assumed": True,
            "source": "the Trainer's default optimiser (the log does not name one)"}


def _saved_optim(path: Path) -> str | None:
    """`optim` of a torch.save'd TrainingArguments, read from its pickle's opcodes without running
    them (pickletools.genops imports nothing): the first plain string after the key `optim`
    (`adamw_torch`, `sgd`, `adafactor`), skipping the enum class's module and name."""
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist() if n.endswith("/data.pkl")), None)
            if name is None or z.getinfo(name).file_size > MAX_ARGS_PICKLE:
                return None
            data = z.read(name)
        strings = [a for _, a, _ in pickletools.genops(io.BytesIO(data)) if isinstance(a, str)]
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, KeyError):
        return None  # absent, not a zip, a corrupt pickle: the Trainer's default is said instead
    after = strings[strings.index("optim") + 1:] if "optim" in strings else []
    return next((a for a in after[:4] if re.fullmatch(r"[a-z][a-z0-9_]*", a)), None)


def _hf_points(history: list, got: Collector, where: str) -> None:
    """The curve points of a Trainer's log entries (trainer_state's log_history, or the dicts it
    prints), each at its `step`."""
    for i, entry in enumerate(history):
        if not isinstance(entry, dict) or "train_runtime" in entry:
            continue  # the final summary: whole-run averages, not a point of the curve
        step = as_step(entry.get("step"))
        if step is None:
            continue
        for key, value in entry.items():
            if key not in HF_SKIP:
                # the Trainer logs only the norm clip_grad_norm_ returns: before clipping
                name = "grad_norm_preclip" if key == "grad_norm" else key
                got.add(name, step, value, where=where.format(i))


register_reader("huggingface", lambda p: _hf_state(p) is not None, read_hf)


# -- Hugging Face Trainer's printed dicts ------------------------------------------------------

def _printed_dicts(path: Path, limit: int | None = None) -> list[tuple[int, dict]]:
    """(line number, dict) of each line of a console log that is a Python dict literal with an
    `epoch` (what the Trainer prints: `{'loss': 0.6931, 'grad_norm': 1.23, 'learning_rate': 4.5e-05,
    'epoch': 0.5}`; transformers 5 prints the numbers as strings). Read with ast.literal_eval:
    literals only, nothing is run."""
    if not path.is_file() or path.suffix.lower() not in (".log", ".txt", ".out"):
        return []
    if limit:  # (sniffing: the head of the file)
        with open(path, "rb") as f:
            text = f.read(limit).decode("utf-8", errors="replace")
    else:
        text = read_text(path, "console log")
    out = []
    for i, line in enumerate(text.splitlines()):
        line = line.strip()
        if not (line.startswith("{'") and line.endswith("}")) or len(line) > 4096:
            continue
        try:
            entry = ast.literal_eval(line)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(entry, dict) and "epoch" in entry:
            out.append((i, entry))
    return out


def read_hf_printed(path: Path):
    """A console log holding the Trainer's printed dicts: its log_history without the `step`,
    placed by the fractional `epoch` each carries in units of the training logs' interval (the
    median gap between two: 0.2 epoch at 5 logs an epoch); an evaluation at epoch 1.0 lands on the
    training log of epoch 1.0."""
    entries = [(i, e) for i, e in _printed_dicts(path) if number(e["epoch"]) is not None]
    # the training logs' interval (evaluations fall between them, at the epoch's end)
    epochs = [float(e["epoch"]) for _, e in entries if "loss" in e] or [float(e["epoch"]) for _, e in entries]
    gaps = [b - a for a, b in zip(epochs, epochs[1:]) if b - a > 1e-9]
    if not gaps:
        raise InputError(path, "the printed dicts carry fewer than two distinct epochs")
    gap = float(np.median(gaps))
    history = [{**e, "step": e.get("step", round(float(e["epoch"]) / gap))} for _, e in entries]
    got = Collector()
    _hf_points(history, got, f"printed dict {{}} of {len(history)}")
    notes = [f"the Trainer's printed dicts, placed by their epoch in steps of {gap:.4g} epoch (the "
             f"logging interval)"] if not any("step" in e for _, e in entries) else []
    return [build_run(path, "huggingface", got.raw, notes=notes + got.notes(), what="key",
                      meta={"epochs_spanned": max(epochs), "optimizers": [trainer_optimizer(path.parent)]})]


register_reader("huggingface_printed", lambda p: len(_printed_dicts(p, 1 << 16)) >= 2, read_hf_printed)


def _is_jsonl(path: Path) -> bool:
    """A `.jsonl`/`.ndjson` file, or a text file whose first two lines are JSON objects: DeiT's
    and MAE's `log.txt`, detectron2's `metrics.json` (JSON lines under other names)."""
    if not path.is_file():
        return False
    if path.suffix.lower() in JSONL_SUFFIXES:
        return True
    if path.suffix.lower() not in (".txt", ".json", ".log", ""):
        return False
    with open(path, "rb") as f:
        head = f.read(1 << 16).decode("utf-8", errors="replace")
    lines = [line for line in head.splitlines() if line.strip()]
    if len(lines) >= 2 and all(isinstance(_loads(line), dict) for line in lines[:2]):
        return True
    # fairseq's json log: a few `| ` header lines, then objects (maybe after a `... | ` prefix)
    header = 0
    while header < min(len(lines), 64) and lines[header].lstrip().startswith("|") \
            and _json_part(lines[header]) is None:
        header += 1
    objects = [_json_part(line) for line in lines[header:header + 2]]
    return len(objects) == 2 and all(o is not None and isinstance(_loads(o), dict) for o in objects)


def _loads(line: str):
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


register_reader("jsonl", _is_jsonl, read_jsonl)


# -- skorch ------------------------------------------------------------------------------------
SKORCH_SKIP = {"epoch", "dur", "batches"}


def _skorch_history(path: Path) -> list | None:
    if not (path.is_file() and path.suffix == ".json"):
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip()
    except OSError:
        return None
    # "batches" (per-batch losses) may come first and fill the head: it names skorch as well
    if not head.startswith(b"[") or not (b'"epoch"' in head or re.match(rb'\[\s*\{\s*"batches"', head)):
        return None
    try:
        data = json.loads(read_text(path, "JSON file"))
    except (ValueError, InputError, RecursionError):
        return None
    return data if isinstance(data, list) and data and all(
        isinstance(e, dict) and "epoch" in e for e in data) else None


def read_skorch(path: Path):
    history = _skorch_history(path)
    if history is None:
        raise InputError(path, "not a skorch history (a JSON list of per-epoch objects)")
    got = Collector()
    for i, entry in enumerate(history):
        epoch = as_step(entry.get("epoch"))
        if epoch is None:
            continue
        for key, value in entry.items():
            if key not in SKORCH_SKIP and not key.endswith("_best") and not isinstance(value, (list, dict)):
                got.add(key, epoch, value, where=f"epoch {epoch}")
    return [build_run(path, "skorch", got.raw, notes=got.notes(), meta={"x_axis": "epoch"}, what="key")]


register_reader("skorch", lambda p: _skorch_history(p) is not None, read_skorch)


# -- Keras History as JSON --------------------------------------------------------------------------
def _json_object(path: Path, opens: bytes = b"{") -> dict | list | None:
    """The JSON object a whole file holds (a sniffer's read: None when it is anything else; with
    `opens=b"{["` a list too)."""
    try:
        with open(path, "rb") as fh:
            first = fh.read(64).lstrip()[:1]
        if not first or first not in opens:
            return None
        data = json.loads(read_text(path, "JSON file"))
    except (OSError, ValueError, InputError, RecursionError):
        return None
    return data if isinstance(data, (dict, list) if b"[" in opens else dict) else None


def _keras_history(path: Path) -> dict | None:
    """Keras' History dumped as JSON, or a script's own history dict in its shape (`{"epoch": [...],
    "train_loss": [...], "val_acc": [...]}`): equal-length lists, one a train loss."""
    if not (path.is_file() and path.suffix == ".json"):
        return None
    data = _json_object(path)
    curves = {k: v for k, v in (data or {}).items() if isinstance(v, list)}
    if not curves or len({len(v) for v in curves.values()}) != 1:
        return None
    return data if any((columns.classify(k) or ("",))[0] == "train_loss" for k in curves) else None


def read_keras_history(path: Path):
    history = _keras_history(path)
    if history is None:
        raise InputError(path, "not a history of per-epoch lists (a JSON object of equal-length lists "
                               "with a train loss)")
    return [_from_lists(path, "keras" if "loss" in history else "json", history)]


def _from_lists(path: Path, fmt: str, history: dict):
    """A Run from {key: [one value per epoch]} (Keras' History); epochs count from 1."""
    got, skipped = Collector(), []
    for key, values in history.items():
        if not isinstance(values, list):
            skipped.append(key)
            continue
        for epoch, value in enumerate(values, start=1):
            got.add(key, epoch, value, where=f"epoch {epoch}")
    notes = got.notes() + ([f"{path.name}: not curves, one value each: {', '.join(skipped)}"] if skipped else [])
    return build_run(path, fmt, got.raw, notes=notes, meta={"x_axis": "epoch"}, what="key")


register_reader("keras_history", lambda p: _keras_history(p) is not None, read_keras_history)


# -- exported series: Sacred, ClearML, Aim ---------------------------------------------------------
# a series is an object holding two equal-length lists under one of these (steps, values) pairs
SERIES_KEYS = (("steps", "values"), ("x", "y"), ("step", "value"), ("iters", "values"))
# ... or a named object holding a list of points, each an object of a step and a value (a Neptune
# `fetch_values()` or dashboard export: {"name": "train/loss", "values": [{"step", "value"}, ...]})
POINT_LISTS = ("values", "points", "data")
POINT_KEYS = (("step", "value"), ("x", "y"), ("iteration", "value"), ("epoch", "value"))
MAX_SERIES_DEPTH = 4


def _points(node: dict) -> tuple[list, list] | None:
    """(steps, values) of a named series written as a list of point objects, else None."""
    for key in POINT_LISTS:
        points = node.get(key)
        if isinstance(points, list) and points and isinstance(points[0], dict):
            pair = next(((a, b) for a, b in POINT_KEYS if a in points[0] and b in points[0]), None)
            if pair is not None:
                ok = [x for x in points if isinstance(x, dict)]
                return [x.get(pair[0]) for x in ok], [x.get(pair[1]) for x in ok]
    return None


def _series(node, path: tuple[str, ...] = (), depth: int = 0) -> list[tuple[str, list, list]]:
    """(name, steps, values) of every series in a JSON tree, named by its path: Sacred's
    {"training.loss": {steps, values}}, ClearML's get_reported_scalars() {"loss": {"train": {x,
    y}}}, Aim's [{"name": "loss", "context": {"subset": "train"}, "steps", "values"}]."""
    if depth > MAX_SERIES_DEPTH:
        return []
    if isinstance(node, dict):
        points = _points(node) if isinstance(node.get("name"), str) else None
        if points is not None:
            return [(str(node["name"]), *points)]
        for a, b in SERIES_KEYS:
            if isinstance(node.get(a), list) and isinstance(node.get(b), list):
                context = node.get("context") if isinstance(node.get("context"), dict) else {}
                own = [str(v) for v in context.values() if isinstance(v, str)]
                name = "/".join([*own, str(node["name"])] if isinstance(node.get("name"), str) else
                                [*path, *own])
                return [(name, node[a], node[b])] if name else []
        return [s for k, v in node.items() for s in _series(v, (*path, str(k)), depth + 1)]
    if isinstance(node, list):
        return [s for v in node if isinstance(v, dict) for s in _series(v, path, depth + 1)]
    return []


def _exported_series(path: Path) -> list | None:
    if not (path.is_file() and path.suffix.lower() == ".json"):
        return None
    data = _json_object(path, opens=b"{[")  # (an Aim or Neptune export is a list of series)
    found = _series(data) if data else []
    return found if any((columns.classify(n) or ("",))[0].endswith("_loss") for n, _, _ in found) else None


def read_exported_series(path: Path):
    found = _exported_series(path)
    if found is None:
        raise InputError(path, "no metric series (objects of steps and values) in this JSON file")
    got = Collector()
    for name, steps, values in found:
        for step, value in zip(steps, values):
            cell = as_step(step)
            if cell is not None:
                got.add(name, cell, value, where=f"{name} step {cell}")
    fmt = "sacred" if path.name == "metrics.json" and all("/" not in n for n, _, _ in found) else "json"
    return [build_run(path, fmt, got.raw, notes=got.notes(), what="metric")]


register_reader("series", lambda p: _exported_series(p) is not None, read_exported_series)


# -- YAML -------------------------------------------------------------------------------------------
YAML_SUFFIXES = (".yaml", ".yml")


def _yaml_curves(path: Path) -> list | dict | None:
    """A YAML file's metrics: a list of per-step/epoch mappings, or a mapping of equal-length
    lists with a loss (a History dumped as YAML); None for anything else (a config, hparams)."""
    if not (path.is_file() and path.suffix.lower() in YAML_SUFFIXES) or path.stat().st_size > MAX_YAML_BYTES:
        return None
    try:
        data = load_yaml(read_text(path, "YAML file"), path)
    except InputError:
        return None
    if isinstance(data, list) and len(data) >= 2 and all(isinstance(e, dict) for e in data) and \
            any(columns.classify(str(k)) for e in data[:3] for k in e if str(k) not in ("step", "epoch")):
        return data
    if isinstance(data, dict):
        curves = {k: v for k, v in data.items() if isinstance(v, list)}
        if curves and len({len(v) for v in curves.values()}) == 1 and \
                any((columns.classify(str(k)) or ("",))[0].endswith("_loss") for k in curves):
            return data
    return None


def read_yaml(path: Path):
    data = _yaml_curves(path)
    if data is None:
        raise InputError(path, "not a YAML metrics log (a list of per-epoch mappings, or a mapping of lists)")
    if isinstance(data, dict):
        return [_from_lists(path, "yaml", {str(k): v for k, v in data.items()})]
    records = [(i, _flatten({str(k): v for k, v in e.items()})) for i, e in enumerate(data)]
    return [_from_records(path, "yaml", records, [])]


MAX_YAML_BYTES = 64 << 20  # a YAML log is parsed whole: larger ones are not sniffed as one
register_reader("yaml", lambda p: _yaml_curves(p) is not None, read_yaml)


# -- a JSON list of per-epoch records --------------------------------------------------------------
def _json_records(path: Path) -> list | None:
    """The per-step/epoch records of a `.json` file that holds a list of flat objects, at its top
    or as the one list in an object (`{"experimento": ..., "épocas": [{...}, ...]}`), with a loss or
    accuracy among their keys; None for anything else."""
    if not (path.is_file() and path.suffix.lower() == ".json") or path.stat().st_size > MAX_YAML_BYTES:
        return None  # (parsed whole, as a YAML log is: not a large file)
    try:
        with open(path, "rb") as fh:
            if fh.read(64).lstrip()[:1] not in (b"[", b"{"):
                return None
        data = json.loads(read_text(path, "JSON file"))
    except (OSError, ValueError, InputError, RecursionError):
        return None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        data = lists[0] if len(lists) == 1 else None
    if not (isinstance(data, list) and len(data) >= 2 and all(isinstance(e, dict) for e in data)):
        return None
    metric = any((columns.classify(str(k)) or ("",))[0].endswith(("_loss", "_acc")) for e in data[:3] for k in e)
    return data if metric else None


def read_json_records(path: Path):
    data = _json_records(path)
    if data is None:
        raise InputError(path, "not a JSON metrics log (a list of per-epoch objects)")
    records = [(i, _flatten({str(k): v for k, v in e.items()})) for i, e in enumerate(data)]
    return [_from_records(path, "json", records, [])]


register_reader("json_records", lambda p: _json_records(p) is not None, read_json_records)
