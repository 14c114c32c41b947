"""What the log readers share: text-file checks, cells to numbers, raw columns to a Run.

A reader turns its file into *raw series* ({column or tag: (steps, values)}, values as logged,
missing points left out) and calls `build_run`, which names the signals with the spelling table
(columns.py), keeps unknown numeric columns under their own names, stacks per-layer gradient norms
into `run.params`, and writes notes saying what was read and what could not be checked.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from ...errors import InputError
from ...record.names import loss_scale
from ...safe_io import read_bytes
from ..model import LayerTable, Run, Series
from . import columns

Raw = dict[str, tuple[list[int], list[float]]]
MISSING = {"", "na", "n/a", "none", "null", "-"}
LOSSES = ("train_loss", "eval_loss", "test_loss")


MAX_LOG_BYTES = 2 ** 30  # a log is read whole: a cap keeps a runaway file from exhausting memory


def read_text(path: Path, what: str = "text file") -> str:
    """The file's text; InputError for an unreadable, empty, binary, oversized or non-regular
    file (a link to /dev/zero is refused, not read forever)."""
    data = read_bytes(path, what, limit=MAX_LOG_BYTES)
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(path, f"binary data, not a {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, f"not UTF-8 text, not a {what}") from None


def first_line(path: Path, limit: int = 4096) -> str:
    """The first line of a small prefix of the file ('' when unreadable or binary)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
    except OSError:
        return ""
    if b"\x00" in head:
        return ""
    return head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip()


def number(cell: object) -> float | None:
    """A cell as a float; None when missing (blank, NA); ValueError for text. 'nan'/'inf' are values."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(cell)
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip()
    if text.lower() in MISSING:
        return None
    return float(text)  # accepts nan, inf, -inf, Infinity, 1e-3


class Collector:
    """Accumulates raw series point by point and counts cells that were not numbers."""

    def __init__(self) -> None:
        self.raw: Raw = {}
        self.bad: dict[str, tuple[int, str, str]] = {}  # column -> (count, first where, first text)

    def add(self, name: str, step: int, cell: object, where: str = "") -> None:
        try:
            value = number(cell)
        except (TypeError, ValueError):
            count, first, text = self.bad.get(name, (0, where, str(cell)[:20]))
            self.bad[name] = (count + 1, first, text)
            return
        if value is None:
            return
        steps, values = self.raw.setdefault(name, ([], []))
        steps.append(step)
        values.append(value)

    def notes(self) -> list[str]:
        out = []
        for name, (count, where, text) in self.bad.items():
            if name in self.raw:  # a numeric column with some text cells
                out.append(f"column {name!r}: {count} non-numeric cell(s) skipped "
                           f"(first {where}: {text!r})")
        return out


def as_step(cell: object) -> int | None:
    try:
        value = number(cell)
    except (TypeError, ValueError):
        return None
    if value is None or not math.isfinite(value) or value != int(value):
        return None
    return int(value)


class EpochSteps:
    """A step counter that restarts every epoch (mmcv's `iter`, a `batch` column) counted on
    across epochs: where the epoch rises and the counter falls below its top, the epoch's top
    (plus one for a counter from 0) is added to every later step. A counter that falls with no
    new epoch (a resumed run) is left as it is; an epoch that falls starts the count again (the
    next metric's block of a long export, a second training)."""

    def __init__(self) -> None:
        self.offset, self.top, self.epoch, self.from_zero = 0, None, None, None
        self.restarts = 0

    def __call__(self, step: int | None, epoch: int | None) -> int | None:
        if step is None:
            return None
        if self.from_zero is None:
            self.from_zero = step == 0
        if epoch is not None and self.epoch is not None and epoch < self.epoch:
            self.offset, self.top = 0, None
        if epoch is not None and self.epoch is not None and epoch > self.epoch and \
                self.top is not None and step < self.top:
            self.offset += self.top + int(self.from_zero)
            self.top, self.restarts = None, self.restarts + 1
        self.epoch = epoch if epoch is not None else self.epoch
        self.top = step if self.top is None else max(self.top, step)
        return step + self.offset

    def note(self, name: str) -> list[str]:
        return [f"{name!r} restarts every epoch: counted on across the epochs"] if self.restarts else []


def layer_table(per_layer: dict[str, dict[str, tuple[list[int], list[float]]]]) -> LayerTable | None:
    """{layer: {stat: (steps, values)}} -> a steps x layers table, NaN where not logged."""
    if not per_layer:
        return None
    layers = list(per_layer)
    steps = sorted({s for stats in per_layer.values() for st, _ in stats.values() for s in st})
    index = {s: i for i, s in enumerate(steps)}
    names = sorted({stat for stats in per_layer.values() for stat in stats})
    table = {n: np.full((len(steps), len(layers)), np.nan) for n in names}
    for col, layer in enumerate(layers):
        for stat, (st, vals) in per_layer[layer].items():
            for s, v in zip(st, vals):
                table[stat][index[s], col] = v
    return LayerTable(np.asarray(steps, dtype=np.int64), layers, table)


def _check_map(path, names: list[str], what: str) -> None:
    """A `--map` entry that names no column (key) of this log is the user's error, said in one line."""
    bad_map = columns.missing_overrides(names)
    if bad_map:
        raise InputError(path, f"--map {', '.join(bad_map)}: no such {what} (has: {_listing(names)})")


def name_signals(run: Run, what: str = "key") -> None:
    """The signal names of a run read in its own names (a traindx run directory): `--map` applied
    (an entry that names nothing is an error, as in any log) and a key the spelling table knows
    (`valid_acc_epoch`) read as its signal where the run has no series of that name."""
    names = list(run.scalars)
    _check_map(run.path, names, what)
    forced = columns.mapped()
    renamed = []
    for canon, name in columns.assign(names).items():
        if canon in ("step", "epoch") or name == canon or name not in run.scalars:
            continue
        if canon in forced or canon not in run.scalars:
            run.scalars[canon] = run.scalars.pop(name)
            renamed.append(f"{canon} ({name!r})")
    if renamed:
        run.notes.append(f"signals read: {', '.join(renamed)}")


def build_run(path: Path, fmt: str, raw: Raw, *, notes: list[str] | None = None,
              per_layer: dict | None = None, meta: dict | None = None, ended: str = "unknown",
              what: str = "column") -> Run:
    """A Run from raw series: signals named by the spelling table and `--map`, notes added.
    InputError when no loss can be found, or a `--map` column does not exist."""
    names = list(raw)
    _check_map(path, names, what)
    per_layer = dict(per_layer or {})
    for name in names:
        hit = columns.layer_stat(name)
        if hit:
            per_layer.setdefault(hit[0], {})[hit[1]] = raw[name]
    counts = {n: sum(1 for v in raw[n][1] if math.isfinite(v)) for n in names}
    mapping = columns.assign(names, counts=counts)
    summed = []
    for canon, cols in columns.loss_parts(names, mapping).items():
        raw[canon] = _sum_of(raw, cols)
        mapping[canon] = canon
        summed.append(f"{canon}: the sum of its logged parts ({' + '.join(cols)})")
    if not any(k in mapping for k in LOSSES):
        raise InputError(path, f"no loss {what} recognised (has: {_listing(names)}); "
                               f"name one with --map train_loss={what.upper()}")
    run = Run(path=str(path), source_format=fmt, meta=dict(meta or {}), ended=ended)
    if _adversarial([n for n in names if (columns.classify(n) or ("",))[0].endswith("_loss")]):
        run.meta["separate_objectives"] = True
        summed.append("a generator's and a discriminator's losses: two optimisers, each after its own "
                      "objective (their sum is no one objective)")
    _optimizer_from_lr_column(run, mapping.get("lr"))
    used = set(mapping.values())
    rescaled = []
    for canon, name in mapping.items():
        if canon not in ("step", "epoch"):
            steps, values = raw[name]
            scale = loss_scale(name) if canon in LOSSES else None
            if scale is not None:
                values = [_RESCALE[scale](v) for v in values]
                rescaled.append(f"{name!r} {_RESCALE_WORDS[scale]}")
            run.scalars[canon] = Series.build(steps, values)
    for name in names:
        if name in used or columns.layer_stat(name) or name in columns.CANONICAL:
            continue
        run.scalars[name] = Series.build(*raw[name])
    run.params = layer_table(per_layer)
    percent = _percent_accuracies(run, mapping) + _accuracy_from_error(run, mapping)
    aligned = align_epoch_axis(run)
    ends = [int(s.steps[-1]) for s in run.scalars.values() if len(s)]
    run.last_step = max(ends, default=0)
    found = ", ".join(f"{c} ({n!r})" if c != n else c for c, n in mapping.items()
                      if c not in ("step", "epoch"))
    rescaled = [f"losses read back onto their scale: {', '.join(rescaled)}"] if rescaled else []
    run.notes = ([f"signals read: {found}"] + summed + rescaled + list(notes or []) + percent
                 + _off_axis_notes(raw) + aligned + gradient_notes(run))
    return run


# the two players of a GAN, as their losses are named (`d_loss`/`g_loss`, `loss_D`/`loss_G`,
# `critic_loss`/`gen_loss`)
_DISCRIMINATOR = {"d", "disc", "discriminator", "critic", "dis"}
_GENERATOR = {"g", "gen", "generator"}


def _adversarial(cols: list[str]) -> bool:
    """Whether loss columns include a discriminator's and a generator's."""
    words = [set(columns.stem(c)) for c in cols]
    return any(w & _DISCRIMINATOR for w in words) and any(w & _GENERATOR for w in words)


def _sum_of(raw: Raw, cols: list[str]) -> tuple[list[int], list[float]]:
    """The parts added up at the steps where every part was logged."""
    series = [dict(zip(*raw[c])) for c in cols]
    steps = sorted(set.intersection(*(set(s) for s in series)))
    return steps, [sum(s[step] for s in series) for step in steps]


# an RMSE squared is the MSE; a perplexity's log and bits per character x ln 2 are the
# cross-entropy in nats (the scale the chance level ln C is on)
_RESCALE = {"square": lambda v: v * v,
            "log": lambda v: math.log(v) if v > 0 else (math.nan if v != 0 else -math.inf),
            "bits": lambda v: v * math.log(2)}
_RESCALE_WORDS = {"square": "squared (an MSE)", "log": "as its log (nats)", "bits": "x ln 2 (nats)"}


def _percent_accuracies(run: Run, mapping: dict[str, str]) -> list[str]:
    """Accuracies and recalls logged in percent (DeiT's `test_acc1` 35.0 beside a `train_acc1` of 0.94) as
    fractions, so that the two splits compare: a curve above 1 and within 100 is a percentage."""
    notes = []
    shares = [k for k in run.scalars if re.fullmatch(r"(train|eval|test)_(acc|bacc|error|recall(_\d+)?)", k)]
    for canon in shares:  # (recalls too: mmcv's `"recall": 50.0`)
        s = run.scalars.get(canon)
        finite = [v for v in (s.values if s is not None else ()) if math.isfinite(v)]
        if finite and 1.0 < max(finite) <= 100.0 and min(finite) >= 0.0:
            run.scalars[canon] = Series.build(list(s.steps), [v / 100.0 for v in s.values])
            notes.append(f"{mapping.get(canon, canon)!r} is in percent: read as a fraction")
    return notes


def _accuracy_from_error(run: Run, mapping: dict[str, str]) -> list[str]:
    """A split's classification error rate (fastai's `error_rate`) as its accuracy, 1 - error, where
    the log wrote no accuracy of its own: every check that reads an accuracy reads it."""
    notes = []
    for split in ("train", "eval", "test"):
        err = run.scalars.get(f"{split}_error")
        finite = [v for v in (err.values if err is not None else ()) if math.isfinite(v)]
        if finite and f"{split}_acc" not in run.scalars and 0.0 <= min(finite) and max(finite) <= 1.0:
            run.scalars[f"{split}_acc"] = Series.build(list(err.steps), [1.0 - v for v in err.values])
            notes.append(f"{mapping.get(f'{split}_error', f'{split}_error')!r} read as 1 - accuracy")
    return notes


LR_MONITOR = re.compile(r"^lr-([A-Za-z][A-Za-z0-9]*)")  # Lightning's LearningRateMonitor: lr-AdamW, lr-SGD/pg1


def _optimizer_from_lr_column(run: Run, column: str | None) -> None:
    """Lightning's LearningRateMonitor names its column after the optimiser's class (`lr-AdamW`):
    the one place a log of curves says which optimiser ran."""
    m = LR_MONITOR.match(column or "")
    if m and not run.meta.get("optimizers"):
        run.meta["optimizers"] = [{"type": m.group(1), "source": f"the lr column's name {column!r}"}]


MIN_AXIS_RATIO = 4  # training runs at least this many times further than the epoch count


def align_epoch_axis(run: Run) -> list[str]:
    """Series logged at the epoch number in a log whose training is logged at the iteration
    (Ignite's documented TensorBoard logging: validation at `global_step_from_engine(trainer)`,
    the epoch) are moved to the iteration that ended each epoch, and the note says so. The sign
    is unmistakable: points at exactly 1, 2, ..., E (or 0 .. E-1) while the train loss runs to
    an iteration at least MIN_AXIS_RATIO times E; a log that evaluates at the first E iterations
    and never again does not exist. The epoch length is the train loss's last iteration over E
    (a last epoch cut short shifts the points by less than one epoch)."""
    train = run.scalars.get("train_loss")
    if train is None or len(train) < 2:
        return []
    last = int(train.steps[-1])
    moved: list[str] = []
    for name, series in list(run.scalars.items()):
        steps = series.steps
        n = len(steps)
        if name == "train_loss" or n < 2 or int(steps[0]) not in (0, 1) \
                or not np.all(np.diff(steps) == 1):
            continue
        epochs = int(steps[-1]) + (1 if steps[0] == 0 else 0)
        if last < MIN_AXIS_RATIO * epochs:
            continue
        per_epoch = last / epochs
        ends = np.rint((steps - steps[0] + 1) * per_epoch).astype(np.int64)
        run.scalars[name] = Series(ends, series.values)
        moved.append(name)
    if not moved:
        return []
    return [f"{', '.join(moved)} logged at the epoch number while the train loss is logged at the "
            f"iteration (up to {last}): placed at the end of each epoch, {last / epochs:.4g} "
            f"iterations per epoch"]


def _off_axis_notes(raw: Raw) -> list[str]:
    """Points whose step is not a whole number below 2**62 cannot be placed on the step axis and
    are left out (Series.build); said, never silent."""
    out = []
    for name, (steps, _) in raw.items():
        off = sum(1 for s in steps if not (isinstance(s, (int, float)) and math.isfinite(s)
                                           and abs(s) < 2.0 ** 62))
        if off:
            out.append(f"{name}: {off} point(s) with a step beyond 2**62 (or not a number) left out")
    return out


def gradient_notes(run: Run) -> list[str]:
    """What the gradient detectors can and cannot do with this log."""
    table = run.params
    has_layers = table is not None and len(table) > 0
    if has_layers and table.get("grad_norm") is not None and table.get("weight_norm") is None:
        return ["per-layer gradient norms but no weight norms in this log: vanishing_gradients needs "
                "both (it compares |g|/|w| across depth)"]
    total = next((k for k in ("grad_norm", "grad_norm_preclip") if run.has(k)), None)
    if not has_layers and total:
        return ["no per-layer gradients in this log: vanishing_gradients not checked, "
                f"exploding_gradients checked from {total} only"]
    return []


def _listing(names: list[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "") if names else "nothing"


# an evaluation metric that is better when lower (the rest: accuracy, AUC, F1, ... higher)
LOWER_IS_BETTER = re.compile(r"loss|err|mse|mae|rmse|mape|perplexity|ppl|nll|cross_?entropy", re.I)
EVAL_PREFIX = re.compile(r"^(?:eval|val|valid|validation|dev)(?:[_/.\-]|$)", re.I)


def early_stopping_patience(runs: list[Run]) -> int | None:
    """The patience of an early stopping that ended several runs of one log (a k-fold notebook's
    folds): the runs stopped at different lengths, and each that stopped before the longest did
    so the same number of evaluations (+-1) after the best of one monitored eval metric; the
    longest ran out of epochs no later than that after its best. None when no metric fits: a rise
    in those last evaluations is what stopped the run, not overfitting left running."""
    for name in sorted({n for r in runs for n in r.scalars if n == "eval_loss" or n == "eval_acc"
                        or EVAL_PREFIX.match(n)}):
        series = [r.series(name) for r in runs]
        if any(s is None or len(s.finite()) < 3 for s in series):
            continue
        values = [s.finite().values for s in series]
        lower = name == "eval_loss" or (name != "eval_acc" and LOWER_IS_BETTER.search(name))
        since = [len(v) - 1 - int(np.argmin(v) if lower else np.argmax(v)) for v in values]
        longest = max(map(len, values))
        stopped = [k for k, v in zip(since, values) if len(v) < longest]
        if not stopped or min(stopped) < 1 or max(stopped) - min(stopped) > 1:
            continue
        if all(k <= max(stopped) for k, v in zip(since, values) if len(v) == longest):
            return max(stopped)
    return None
