"""Printed training logs: what a script prints or writes with `logging`, saved as a text file.

Ignite's examples (`Epoch[1] Iteration[20/47] Loss: 1.3180`, `Validation Results - Epoch: 1  Avg
accuracy: 0.62 Avg loss: 1.19`), the PyTorch tutorials (`Epoch [3/20], Step [100/600], Loss:
0.41`), `logging` lines (`2026-11-30 12:00:01 INFO epoch=3 train_loss=0.41 val_loss=0.52`) and
progress prints (`Epoch 3/20 | loss 0.412 | val loss 0.520 | acc 81.2%`) and makemore's
(`   1000/ 200000: 2.2545`: a step counter, then the loss) are read the same way:

- each line is a list of `name value` pairs (`:`, `=` or a space between; `[3/20]` is 3 of 20;
  `81.2%` a percentage; an accuracy `9894/10000` a fraction); a leading timestamp and logging level
  are dropped;
- a pair's data split is the split word in its name (`val loss`), else the one the line's leading
  text names (`Validation Results - ...`, `val: ...`), else that of the pair before it in the same
  segment (between `|`, `,`, `;` or a tab: `valid loss 0.5 acc 0.8`; not for `key=value` pairs,
  which name each key in full), else train; an lr belongs to no split;
- the x axis is the step or iteration counter where lines carry one (a count that restarts each
  epoch is made global; a line with only an epoch is placed at the last step seen), else the epoch,
  else the line.

A printed table — a header of metric names, then one row of numbers per epoch (fastai's
`epoch  train_loss  valid_loss  accuracy  time`) — is read by its columns instead.

Only `.log`, `.txt` and `.out` files with at least two such lines naming a loss or accuracy are read
this way; the names then go through the one spelling table (columns.py).
"""
from __future__ import annotations

import re
from pathlib import Path

from ...errors import InputError
from ...record.languages import english
from ...record.names import AXES, SPLIT_NAMES, axis, classify
from ...record.printed import NUMBER
from .. import register_reader
from .common import Collector, build_run, read_text

TEXT_SUFFIXES = (".log", ".txt", ".out")
SNIFF_BYTES = 65536
MIN_METRIC_LINES = 2

# `2026-11-30 12:00:01,468 train INFO:` / `[2026-11-30 12:00:01] [INFO]` / `12:00:01 - INFO -`
_PREFIX = re.compile(
    r"^\W*(?:\d{4}-\d\d-\d\d[ T])?\d\d:\d\d:\d\d(?:[.,]\d+)?\]?"
    r"(?:.{0,60}?\b(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)\b\]?\s*[-:|]?)?")
_WORD = r"[^\W\d_][\w./()\-]*"  # a letter of any script first (`Verlust`, `потери`, `损失`)
_PAIR = re.compile(
    r"(?<![\w./])(?P<name>" + _WORD + r"(?: " + _WORD + r"){0,2}?)"
    r"\s*(?:[:=]|->)?\s*\[?\s*(?P<value>" + NUMBER + r")(?:\s*/\s*(?P<total>\d+))?\s*\]?"
    r"(?P<pct>\s?%)?(?![\w.])")
_SEGMENT_BREAK = re.compile(r"[|,;\t]")
# makemore's `f"{i:7d}/{max_steps:7d}: {loss.item():.4f}"`: a step counter, then the bare loss
_COUNTER_LOSS = re.compile(r"^\s*(?P<step>\d+)\s*/\s*(?P<total>\d+)\s*:\s*(?P<value>" + NUMBER + r")(?![\w.])")
_STEP_WORDS = AXES["step"] | {"global step"}


def _split_of(text: str) -> str | None:
    """The data split a piece of text names first (`Validation Results` -> eval, `на проверке`
    -> eval), if any."""
    for word in english(re.findall(r"[^\W\d_]+", text.lower())):
        if word in SPLIT_NAMES and word not in ("tr", "trn", "it"):
            return {"train": "train", "eval": "val", "test": "test"}[SPLIT_NAMES[word]]
    return None


def parse_line(line: str) -> tuple[dict[str, float], tuple[int, int] | None, int | None]:
    """({column: value}, (step, steps per epoch or 0), epoch) of one printed line; columns are
    named `split metric` in the line's words, joined by `_`."""
    prefix = _PREFIX.match(line)
    text = line[prefix.end():] if prefix else line
    counter = _COUNTER_LOSS.match(text)
    if counter:  # the rest of the line is read as usual (`lr 1.000e-01`)
        rest, _, _ = parse_line(text[counter.end():])
        return ({"loss": float(counter.group("value")), **rest},
                (int(counter.group("step")), int(counter.group("total"))), None)
    pairs = list(_PAIR.finditer(text))
    if not pairs:
        return {}, None, None
    line_split = _split_of(text[:pairs[0].start()])
    out: dict[str, float] = {}
    step = epoch = None
    segment_split, last_end = None, pairs[0].start()
    for m in pairs:
        if _SEGMENT_BREAK.search(text, last_end, m.start()):
            segment_split = None
        last_end = m.end()
        name = m.group("name")
        low = name.lower()
        try:
            value = float(m.group("value"))
        except ValueError:
            continue
        if low in _STEP_WORDS or axis(name) == "step":
            if value.is_integer():
                step = (int(value), int(m.group("total") or 0))
            continue
        if axis(name) == "epoch":
            epoch = int(value) if value.is_integer() else epoch
            continue
        own = _split_of(name)
        keyed = "=" in text[m.start():m.end()]  # `key=value` names each key in full
        split = own or line_split or (None if keyed else segment_split)
        segment_split = split
        if classify(name) is not None and classify(name)[0] in ("lr", "grad_norm"):
            split = None  # not a data split's
        column = name if own or split is None else f"{split} {name}"
        hit = classify(column)
        if hit is not None and hit[0].endswith("_acc"):
            if m.group("total") and float(m.group("total")) > 0:
                value /= float(m.group("total"))
            elif m.group("pct"):
                value /= 100.0
        out.setdefault(column.replace(" ", "_"), value)
    return out, step, epoch


_TIME_CELL = re.compile(r"^\d+(?::\d\d)+$")  # fastai's `time` column (00:03)
_NUMBER_CELL = re.compile("^" + NUMBER + "$")


def _cells(line: str) -> list[str]:
    """A table line's cells: between `|` in a Markdown-style table (`| epoch | loss |`), else
    between spaces."""
    if line.strip().startswith("|") or line.count("|") >= 2:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        return cells if all(cells) else []
    return line.split()


def table_rows(lines: list[str]) -> tuple[list[str], list[tuple[int, list[float | None]]]] | None:
    """A printed table (fastai's `epoch  train_loss  valid_loss  accuracy  time`, one row per
    epoch; a second `fit` prints another whose epochs count from 0 again; or one between `|`s, its
    `|---|` rule skipped): (header, [(line number, cells)]) with times as None; None when the text
    has no such table with a metric."""
    header, rows = None, []
    for i, line in enumerate(lines):
        cells = _cells(line)
        if len(cells) >= 2 and all(re.fullmatch(_WORD, c) for c in cells) and \
                any(_is_metric(c) for c in cells) and (header is None or cells == header):
            header = cells
            continue
        if header is None or len(cells) != len(header):
            continue
        if all(_NUMBER_CELL.match(c) or _TIME_CELL.match(c) for c in cells):
            rows.append((i, [None if _TIME_CELL.match(c) else float(c) for c in cells]))
    return (header, rows) if header is not None and rows else None


def _read_table(path: Path, header: list[str], rows: list, lines: list[str]) -> list:
    at = next((j for j, h in enumerate(header) if axis(h) is not None), None)
    # fastai's Recorder: the metrics after `valid_loss` are computed on the validation set
    if "train_loss" in header and "valid_loss" in header:
        after = header.index("valid_loss")
        header = [f"valid_{h}" if j > after and (classify(h) or ("",))[0].startswith("train_") else h
                  for j, h in enumerate(header)]
    got, offset, last = Collector(), 0, -1
    placed = []  # (line number, position) of each row
    for n, (i, cells) in enumerate(rows):
        raw = int(cells[at]) if at is not None and cells[at] is not None else n
        if raw <= last and at is not None:  # a second table counts its epochs from 0 again
            offset += last + 1
        last = raw
        placed.append((i, offset + raw + (1 if at is not None else 0)))
        for j, (name, value) in enumerate(zip(header, cells)):
            if j != at and value is not None:
                got.add(name, placed[-1][1], value, where=f"line {i + 1}")
    # a metric printed on a line of its own (`TEST: test_loss=4.48 test_acc=0.17` after the table)
    # belongs to the row printed last before it
    table_lines = {i for i, _ in placed}
    for i, line in enumerate(lines):
        if i in table_lines:
            continue
        for column, value in parse_line(line)[0].items():
            if column not in header and classify(column) is not None:
                at_row = next((pos for j, pos in reversed(placed) if j < i), placed[0][1])
                got.add(column, at_row, value, where=f"line {i + 1}")
    meta = {"x_axis": "epoch"} if at is not None and axis(header[at]) == "epoch" else {}
    return [build_run(path, "text", got.raw, notes=got.notes(), what="column",
                      meta={**meta, **_named_optimizer(lines)})]


def _is_metric(column: str) -> bool:
    hit = classify(column)
    return hit is not None and hit[0] in ("train_loss", "eval_loss", "test_loss", "train_acc", "eval_acc",
                                          "test_acc")


def sniff_text_log(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
        return False
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    lines = head.splitlines()[:-1] if len(head) == SNIFF_BYTES else head.splitlines()
    table = table_rows(lines)
    if table is not None and len(table[1]) >= MIN_METRIC_LINES:
        return True
    return sum(1 for line in lines if any(_is_metric(c) for c in parse_line(line)[0])) >= MIN_METRIC_LINES


def read_text_log(path: Path):
    lines = read_text(path, "text log").splitlines()
    table = table_rows(lines)
    if table is not None and len(table[1]) >= MIN_METRIC_LINES:
        return _read_table(path, *table, lines)
    rows = [(i, *parse_line(line)) for i, line in enumerate(lines)]
    rows = [r for r in rows if r[1]]
    if not rows:
        raise InputError(path, "no `name value` metric lines in this text log")
    has_step = any(step is not None for _, _, step, _ in rows)
    has_epoch = any(epoch is not None for _, _, _, epoch in rows)
    got, notes = Collector(), []
    offset = position = 0
    last = (-1, None)  # (raw step, epoch) of the last line with a step
    for i, values, step, epoch in rows:
        if has_step:
            if step is not None:
                raw, per_epoch = step
                if raw < last[0] or (raw == last[0] and epoch != last[1]):  # the count restarted
                    offset += per_epoch or last[0]
                last, position = (raw, epoch), offset + raw
        elif has_epoch:
            position = epoch if epoch is not None else position
        else:
            position += 1
        for column, value in values.items():
            got.add(column, position, value, where=f"line {i + 1}")
        if has_step and epoch is not None:
            got.add("epoch", position, epoch)
    if not has_step and not has_epoch:
        notes.append("no step or epoch on the lines: each line counted as a step")
    meta = {"x_axis": "epoch"} if has_epoch and not has_step else {}
    return [build_run(path, "text", got.raw, notes=notes + got.notes(), what="name",
                      meta={**meta, **_named_optimizer(lines)})]


# `optimizer=Adam`, `optim: AdamW`, `Optimizer: SGD (` in a printed config or hparams line
_OPTIMIZER = re.compile(r"\b(?:optimizer|optim)\s*[:=]\s*['\"]?([A-Za-z][A-Za-z0-9_]*)", re.I)


def _named_optimizer(lines: list[str]) -> dict:
    """{"hparams": {"optimizer": name}} when a line names the optimiser (the profile reads it as a
    log's hyper-parameters), else {}."""
    for line in lines[:2000]:
        m = _OPTIMIZER.search(line)
        if m:
            return {"hparams": {"optimizer": m.group(1)}}
    return {}


register_reader("text", sniff_text_log, read_text_log)
