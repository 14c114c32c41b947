"""CSV logs: PyTorch Lightning's CSVLogger, Keras' CSVLogger, DVCLive's TSVs, and any CSV with one row
per step/epoch.

- Lightning (`lightning.fabric.loggers.csv_logs._ExperimentWriter.save`): `<root>/<name>/version_N/
  metrics.csv` written by `csv.DictWriter`, columns in the order the metrics were first logged plus
  `step`; each `log_metrics` call is one row and metrics not logged in that call are blank cells
  (sparse rows). `self.log("train_loss", on_step=True, on_epoch=True)` gives `train_loss_step` and
  `train_loss_epoch`. `hparams.yaml` sits next to it (Lightning's pytorch CSVLogger).
- Keras (`keras.callbacks.CSVLogger.on_epoch_end`): a header `epoch` + the sorted log keys
  (`accuracy, loss, val_accuracy, val_loss, learning_rate`...), one row per epoch (0-based), a
  missing value written as `NA`, any `separator`; the docs' example file is `training.log`.
- Generic: any `.csv`/`.tsv` whose header names a loss column (see columns.py), or a long export
  with one row per logged point (a `metric`/`metricName` column of names beside a `value` column:
  Neptune, Comet, `df.melt()`), or a transposed one (a metric per row, an epoch per column: a
  report's table); `;`-separated European exports with decimal commas.
- DVCLive (`dvclive.Live.log_metric`): `dvclive/plots/metrics/train/loss.tsv`, one TSV per metric
  (`timestamp<TAB>step<TAB>loss`), its name the path under `plots/metrics`; `params.yaml` beside.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path


from ...errors import InputError
from ...safe_io import load_yaml
from .. import register_reader
from . import columns
from .common import Collector, EpochSteps, as_step, build_run, early_stopping_patience, first_line, read_text

CSV_SUFFIXES = (".csv", ".tsv")
KERAS_SUFFIXES = (".csv", ".tsv", ".log", ".txt")


def _delimiter(header: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    return max((",", "\t", ";", "|"), key=header.count) if header else ","


def _header(path: Path) -> list[str]:
    line = first_line(path)
    try:
        return [h.strip() for h in next(csv.reader([line], delimiter=_delimiter(line, path)), [])]
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({exc})") from None


def read_csv(path: Path, fmt: str, run_path: Path | None = None, meta: dict | None = None,
             epoch_offset: int = 0) -> list:
    """The Runs of a CSV file with a header row: one, or one per fold/seed when a k-fold notebook
    stacked its folds in one file (a `fold` column, each fold counting its epochs from the start:
    merged, four models' losses would zig-zag as one curve). `epoch_offset` is added to an epoch
    column that starts at 0 (Keras numbers epochs from 0 and writes each row at the end of that
    epoch)."""
    text = read_text(path, "CSV text file")
    lines = text.splitlines()
    delimiter = _delimiter(lines[0], path) if lines else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({exc})") from None
    if delimiter != ",":  # a spreadsheet's European export: 0,351 is 0.351 (the comma is free)
        rows = [[_decimal_point(c) for c in r] for r in rows]
    wide = _wide_format(header, rows)
    if wide is not None:  # one row per metric, one column per epoch/step: turned the right way
        header, rows = wide
    if len(header) < 2 and not rows:
        raise InputError(path, "not a CSV log (one line, no header and rows)")
    named = [h for h in header if h]
    twice = sorted({h for h in named if named.count(h) > 1})
    if twice:  # merged, they would make one series out of two (data that does not exist)
        raise InputError(path, f"column {twice[0]!r} appears more than once in the header")
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(path, "no data rows (only a header)")
    notes: list[str] = []
    plotted = _plotted_points(header, rows)
    if plotted is not None:
        header, rows = plotted
        notes.append("plotted points (`label,x,y`): x scaled by its smallest gap into steps")
    kinds = {name: (columns.classify(name) or ("", 0))[0] for name in header}
    step_col = next((i for i, h in enumerate(header) if kinds[h] == "step"), None)
    epoch_col = next((i for i, h in enumerate(header) if kinds[h] == "epoch"), None)
    axis = step_col if step_col is not None else epoch_col
    if epoch_col is not None and as_step(rows[0][epoch_col] if epoch_col < len(rows[0]) else None) != 0:
        epoch_offset = 0  # only a log that counts from 0 is shifted (a hand-written 1..N stays)
    read = dict(header=header, axis=axis, epoch_col=epoch_col, epoch_offset=epoch_offset, fmt=fmt)
    groups = _groups(header, rows, axis)
    if groups is None:
        return [_collect(path, rows, notes, run_path or path, meta, **read)]
    column, parts = groups
    runs = [_collect(path, part, notes + [f"{column} {value} of {len(parts)} in {path.name} "
                                          f"(one run per {column}: each trained its own model)"],
                     Path(f"{run_path or path} [{column} {value}]"),
                     {**(meta or {}), "group": {"column": column, "value": value}}, **read)
            for value, part in parts.items()]
    patience = early_stopping_patience(runs)
    if patience is not None:
        for run in runs:
            run.meta["early_stopping_patience"] = patience
            run.notes.append(f"the {column}s stopped at different lengths, each {patience} "
                             f"evaluation(s) after its best: early stopping with that patience")
    return runs


def _collect(path: Path, rows: list[list[str]], notes: list[str], run_path: Path, meta: dict | None, *,
             header: list[str], axis: int | None, epoch_col: int | None, epoch_offset: int, fmt: str):
    """One Run from the parsed rows of a CSV log."""
    notes = list(notes)
    got = Collector()
    short = 0
    step = -1
    long = _long_format(header, rows)
    unroll = EpochSteps()
    if long is not None:
        notes.append(f"long format: one row per point, metric names in {header[long[0]]!r}")
    for i, row in enumerate(rows):
        if len(row) != len(header):
            short += 1
            if len(row) < len(header) and i == len(rows) - 1:
                notes.append(f"{path.name}: truncated last row skipped")
                continue
        cell = as_step(row[axis]) if axis is not None and axis < len(row) else None
        if cell is not None and axis == epoch_col:
            cell += epoch_offset
        elif epoch_col is not None:
            cell = unroll(cell, as_step(row[epoch_col]) if epoch_col < len(row) else None)
        step = cell if cell is not None else (i if axis is None else step + 1)
        if long is not None:
            if max(long) < len(row) and row[long[0]].strip():
                got.add(row[long[0]].strip(), step, row[long[1]], where=f"line {i + 2}")
            continue
        for j, name in enumerate(header):
            if j < len(row) and j != axis and name:
                got.add(name, step, row[j], where=f"line {i + 2}")
    notes += unroll.note(header[axis] if axis is not None else "")
    if short > 1:
        notes.append(f"{path.name}: {short} rows with a different number of cells than the header")
    notes += got.notes()
    text_cols = [h for h in header if h in got.bad and h not in got.raw]
    if text_cols:
        notes.append(f"text columns not used: {', '.join(text_cols[:6])}")
    if axis is None:
        notes.append("no step or epoch column: rows counted as steps")
    elif axis == epoch_col:
        meta = {**(meta or {}), "x_axis": "epoch"}  # each point is an epoch, not an optimiser step
    return build_run(run_path, fmt, got.raw, notes=notes, meta=meta)


# a column naming which of several trainings a row belongs to (a k-fold loop, a seed sweep)
GROUP_COLUMNS = ("fold", "kfold", "fold_id", "cv_fold", "seed", "run", "run_id", "repeat", "trial")


def _groups(header: list[str], rows: list[list[str]], axis: int | None):
    """(column, {value: rows}) when a group column splits the rows into two or more trainings
    whose step/epoch axes overlap (each counted from its own start); else None. A column that
    only labels one continuous axis (a global step) is not a split."""
    low = [h.strip().lower() for h in header]
    col = next((j for j, h in enumerate(low) if h in GROUP_COLUMNS and j != axis), None)
    if col is None or axis is None:
        return None
    parts: dict[str, list[list[str]]] = {}
    for row in rows:
        if col < len(row) and row[col].strip():
            parts.setdefault(row[col].strip(), []).append(row)
    if len(parts) < 2:
        return None
    axes = [{as_step(r[axis]) for r in part if axis < len(r)} - {None} for part in parts.values()]
    if sum(map(len, axes)) <= len(set().union(*axes)):
        return None
    return header[col], parts


# a long ("tidy") export, one row per logged point: Neptune's `step,metric,value`, Comet's
# `metricName,metricValue,timestamp,step,epoch`, pandas' `df.melt()`
LONG_NAME = {"metric", "metricname", "metric_name", "name", "key", "tag", "series"}
LONG_VALUE = {"value", "metricvalue", "metric_value", "y"}


def _long_format(header: list[str], rows: list[list[str]]) -> tuple[int, int] | None:
    """(name column, value column) of a long export whose name column holds text, else None."""
    low = [h.lower() for h in header]
    name = next((i for i, h in enumerate(low) if h in LONG_NAME), None)
    value = next((i for i, h in enumerate(low) if h in LONG_VALUE), None)
    if name is None or value is None:
        return None
    cells = [r[name] for r in rows[:50] if name < len(r)]
    texts = sum(1 for c in cells if c.strip() and not _is_number(c))
    return (name, value) if cells and texts >= len(cells) / 2 else None


def _plotted_points(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]] | None:
    """A plot's points saved as `label,x,y` (d2l's ProgressBoard: x in fractions of an epoch) as a
    long log whose x, scaled by the smallest gap between its values, is an integer step."""
    low = [h.lower() for h in header]
    if sorted(low) != ["label", "x", "y"]:
        return None
    x = low.index("x")
    try:
        xs = sorted({float(r[x]) for r in rows if x < len(r) and r[x].strip()})
    except ValueError:
        return None
    gaps = [b - a for a, b in zip(xs, xs[1:]) if b > a]
    if not gaps:
        return None
    scale = 1.0 / min(gaps)
    out = [[str(round(float(c) * scale)) if j == x and c.strip() else c for j, c in enumerate(r)]
           for r in rows]
    return ["step" if j == x else ("name" if h.lower() == "label" else h) for j, h in enumerate(header)], out


DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+(?:[eE][-+]?\d+)?\s*$")


def _decimal_point(cell: str) -> str:
    return cell.replace(",", ".") if DECIMAL_COMMA.match(cell) else cell


AXIS_CELL = re.compile(r"^(?:(epoch|step|iter(?:ation)?)[ _-]?)?(\d+)$", re.IGNORECASE)


def _wide_format(header: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[str]]] | None:
    """A transposed log (a report's table: metrics as rows, epochs as columns, `epoch,1,2,3` or
    `metric,epoch_1,epoch_2`) as (header, rows) the usual way round; None for any other CSV."""
    cells = [AXIS_CELL.match(h) for h in header[1:]]
    if len(cells) < 3 or not all(cells) or not rows:
        return None
    names = [r[0].strip() for r in rows if r]
    if not names or any(not n or _is_number(n) for n in names):
        return None
    word = (header[0].strip().lower() or "") if header[0].strip().lower() in ("epoch", "step") else \
        (cells[0].group(1) or "step").lower()
    axis = "epoch" if word.startswith("epoch") else "step"
    out_header = [axis, *names]
    out_rows = [[m.group(2), *(r[j + 1] if j + 1 < len(r) else "" for r in rows)]
                for j, m in enumerate(cells)]
    return out_header, out_rows


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# -- Lightning ---------------------------------------------------------------------------------

def _lightning_csv(path: Path) -> Path | None:
    target = path / "metrics.csv" if path.is_dir() else path
    if target.name == "metrics.csv" and target.is_file() and "step" in _header(target):
        return target
    return None


def read_lightning(path: Path):
    csv_path = _lightning_csv(path) or path
    folder = csv_path.parent
    meta = {}
    hp = folder / "hparams.yaml"
    if hp.is_file():
        try:
            meta["hparams"] = load_yaml(read_text(hp, "hparams.yaml"), hp) or {}
        except InputError:
            pass  # the hyper-parameters are a bonus: the metrics are read without them
    return read_csv(csv_path, "lightning", run_path=path, meta=meta)


# -- Keras -------------------------------------------------------------------------------------

def _is_keras(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in KERAS_SUFFIXES:
        return False
    header = _header(path)
    return bool(header) and header[0] == "epoch" and "loss" in header and "step" not in header


def read_keras(path: Path):
    """Keras' CSVLogger: epoch 0 is the row written after the first epoch, so it is epoch 1 here
    (a 20-epoch log ends at epoch 20, as its user counts)."""
    return read_csv(path, "keras", epoch_offset=1)


# -- DVCLive ----------------------------------------------------------------------------------

def _dvclive_metrics(path: Path) -> Path | None:
    """DVCLive's folder (`Live()`: `dvclive/plots/metrics/<name>.tsv`, one file per metric
    logged with `live.log_metric("train/loss", v)`, columns `timestamp step <last name part>`)."""
    if not path.is_dir():
        return None
    metrics = path / "plots" / "metrics"
    return metrics if metrics.is_dir() and any(metrics.rglob("*.tsv")) else None


def read_dvclive(path: Path):
    metrics = _dvclive_metrics(path)
    if metrics is None:
        raise InputError(path, "not a DVCLive folder (no plots/metrics/*.tsv)")
    got, meta = Collector(), {}
    for tsv in sorted(metrics.rglob("*.tsv")):
        name = tsv.relative_to(metrics).with_suffix("").as_posix()  # train/loss
        lines = read_text(tsv, "DVCLive metric file").splitlines()
        rows = list(csv.reader(lines, delimiter="\t"))
        if len(rows) < 2:
            continue
        header = [h.strip() for h in rows[0]]
        step_col = header.index("step") if "step" in header else None
        for i, row in enumerate(rows[1:]):
            if len(row) != len(header):
                continue
            step = as_step(row[step_col]) if step_col is not None else i
            if step is not None:
                got.add(name, step, row[-1], where=f"{tsv.name} line {i + 2}")
    params = path / "params.yaml"
    if params.is_file():
        try:
            meta["hparams"] = load_yaml(read_text(params, "params.yaml"), params) or {}
        except InputError:
            pass  # the parameters are a bonus: the metrics are read without them
    return [build_run(path, "dvclive", got.raw, notes=got.notes(), meta=meta, what="metric")]


# -- generic CSV -------------------------------------------------------------------------------

def _is_csv(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in CSV_SUFFIXES


register_reader("dvclive", lambda p: _dvclive_metrics(p) is not None, read_dvclive)
register_reader("lightning", lambda p: _lightning_csv(p) is not None, read_lightning)
register_reader("keras", _is_keras, read_keras)
register_reader("csv", _is_csv, lambda p: read_csv(p, "csv"))
