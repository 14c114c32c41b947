"""Evaluation metrics read off the script's own output: a transparent tee on sys.stdout.

Under `traindx run` the script's prints pass through `StdoutTee` unchanged and first; complete lines
are then scanned for clearly keyed evaluation numbers ("val loss 1.234", "val_loss: 1.2",
"validation loss = 0.5", "valid_acc 0.91", "eval/loss 0.3", "test acc: 91.2%", a regression's
"val_mse=0.57") and handed to the recorder as if the script had logged them with traindx.log. A bare "loss" is never taken (the
training loss is captured already); "train loss X" counts only on a line that also holds a
validation metric (an evaluation of the train split: eval_train_loss). Any error in the reading
stops it for the rest of the run, without a word on the script's output.
"""
from __future__ import annotations

import re
import sys
from typing import Any

from .names import SPLIT_NAMES

# prefix -> canonical stem, from the one spelling table (not its 2-3 letter abbreviations, `tr`,
# `trn`, which printed prose would match by accident)
_STEMS = {word: split for word, split in SPLIT_NAMES.items() if word not in ("tr", "trn")}
NUMBER = r"([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?nan|[-+]?inf(?:inity)?)"
_METRIC = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(_STEMS, key=len, reverse=True)) + ")"
    r"(?:[ _/.-]?|\s+set\s*[:,]?\s*(?:average|avg|mean)\s+)"
    r"(loss|acc|accuracy|mse|rmse|mae)['\"]?\s*(?:[:=]|->)?\s*" + NUMBER + r"(\s?%)?(?!\w|\.\d|/\d)",
    re.IGNORECASE)
# a line about one split: "Test set: Average loss: 0.0326, Accuracy: 9894/10000 (99%)" (the PyTorch
# examples), "val: loss 0.31 acc 0.91"; its bare metric names are that split's
_LEAD = re.compile(r"^\W*(" + "|".join(sorted(_STEMS, key=len, reverse=True)) + r")(?:\s+set)?\s*:",
                   re.IGNORECASE)
_BARE = re.compile(r"(?<![\w.])(?:(?:average|avg|mean)\s+)?(loss|acc|accuracy|mse|rmse|mae)\s*[:=]?\s*" + NUMBER
                   + r"(?:\s*/\s*(\d+))?(\s?%)?(?!\w|\.\d)", re.IGNORECASE)
# "best val loss 1.2" is not the current value
_SKIP_BEFORE = re.compile(r"(?:best|min|minimum|lowest|prev|previous|old|target|max|highest)[ _]*$",
                          re.IGNORECASE)
_LINE_END = re.compile(r"\r\n|\r|\n")
MAX_LINE = 65536  # a "line" longer than this without a newline is not read


def _kind(word: str) -> str:
    """acc, mse/rmse/mae (kept apart: the loss only under that objective) or loss."""
    word = word.lower()
    return "acc" if word.startswith("acc") else word if word in ("mse", "rmse", "mae") else "loss"


def parse_line(line: str) -> dict[str, float]:
    """Canonical evaluation metrics on one line of output: eval_loss, eval_acc, test_loss,
    test_acc, eval_train_loss (accuracy as a fraction); eval_mse, test_rmse, eval_mae, ... (a
    regression's loss when its objective is that error: the recorder decides)."""
    low = line.lower()
    if "loss" not in low and "acc" not in low and "mse" not in low and "mae" not in low:
        return {}
    found: dict[str, float] = {}
    train: float | None = None
    for m in _METRIC.finditer(line):
        if _SKIP_BEFORE.search(line, 0, m.start()):
            continue
        stem = _STEMS[m.group(1).lower()]
        kind = _kind(m.group(2))
        try:
            value = float(m.group(3))
        except ValueError:
            continue
        if kind == "acc":
            if m.group(4) or 1.0 < value <= 100.0:  # a percentage
                value /= 100.0
            if not 0.0 <= value <= 1.0:
                continue
        if stem == "train":
            if kind == "loss" and train is None:
                train = value
            continue
        found.setdefault(f"{stem}_{kind}", value)
    lead = _LEAD.match(line)
    if lead and _STEMS[lead.group(1).lower()] != "train":
        _bare_metrics(line[lead.end():], _STEMS[lead.group(1).lower()], found)
    if train is not None and found:  # the train split evaluated next to validation or test
        found["eval_train_loss"] = train
    return found


def _bare_metrics(rest: str, stem: str, found: dict[str, float]) -> None:
    """Metrics named without their split on a line that named it first; a count "9894/10000" is
    a fraction."""
    for m in _BARE.finditer(rest):
        if _SKIP_BEFORE.search(rest, 0, m.start()):
            continue
        kind = _kind(m.group(1))
        try:
            value = float(m.group(2))
            if m.group(3):
                value = value / float(m.group(3)) if float(m.group(3)) > 0 else float("nan")
        except ValueError:
            continue
        if kind == "acc" and not m.group(3):
            if m.group(4) or 1.0 < value <= 100.0:  # a percentage
                value /= 100.0
        if kind == "acc" and not 0.0 <= value <= 1.0:
            continue
        found.setdefault(f"{stem}_{kind}", value)


class StdoutTee:
    """Stands in for sys.stdout: every attribute is the stream's, every write goes to the stream
    first and unchanged; complete lines then feed `sink.log_printed`."""

    _OWN = ("_stream", "_sink", "_pending", "_size", "_on", "_busy")

    def __init__(self, stream: Any, sink: Any) -> None:
        object.__setattr__(self, "_stream", stream)
        object.__setattr__(self, "_sink", sink)
        object.__setattr__(self, "_pending", [])  # the text since the last line end
        object.__setattr__(self, "_size", 0)
        object.__setattr__(self, "_on", True)
        object.__setattr__(self, "_busy", False)

    # ------------------------------------------------------------ the stream's face
    def write(self, s):
        n = self._stream.write(s)
        if self._on and not self._busy:
            self._feed(s)
        return n

    def writelines(self, lines):
        lines = list(lines)
        out = self._stream.writelines(lines)
        if self._on and not self._busy:
            for s in lines:
                self._feed(s)
        return out

    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, "_stream"), name)

    def __setattr__(self, name, value):
        if name in StdoutTee._OWN:
            object.__setattr__(self, name, value)
        else:
            setattr(self._stream, name, value)

    def __delattr__(self, name):
        delattr(self._stream, name)

    @property
    def __class__(self):  # isinstance(sys.stdout, io.TextIOWrapper) stays what it was
        return type(object.__getattribute__(self, "_stream"))

    def __dir__(self):
        return dir(self._stream)

    def __repr__(self):
        return repr(self._stream)

    def __enter__(self):
        self._stream.__enter__()
        return self

    def __exit__(self, *exc):
        return self._stream.__exit__(*exc)

    def __iter__(self):
        return iter(self._stream)

    def __next__(self):
        return next(self._stream)

    # ------------------------------------------------------------ reading
    def detach_reader(self) -> None:
        """Stop reading (the stream itself stays as it is)."""
        self._on = False
        self._pending, self._size = [], 0

    def _feed(self, s) -> None:
        self._busy = True
        try:
            if not isinstance(s, str) or not s:
                return
            if "\n" not in s and "\r" not in s:
                self._size += len(s)
                if self._size > MAX_LINE:  # too long to be a metrics line: dropped
                    self._pending, self._size = [], 0
                else:
                    self._pending.append(s)
                return
            *lines, rest = _LINE_END.split("".join(self._pending) + s)
            self._pending, self._size = ([rest], len(rest)) if len(rest) <= MAX_LINE else ([], 0)
            for line in lines:
                if len(line) <= MAX_LINE:
                    metrics = parse_line(line)
                    if metrics:
                        self._sink.log_printed(metrics)
        except Exception as exc:  # never the script's problem: stop reading, quietly
            self._on = False
            self._pending, self._size = [], 0
            try:
                self._sink.printed_failed(exc)
            except Exception:
                pass
        finally:
            self._busy = False


def install(sink: Any) -> StdoutTee | None:
    if sys.stdout is None:  # no stdout (pythonw): nothing printed, nothing to read
        return None
    tee = StdoutTee(sys.stdout, sink)
    sys.stdout = tee
    return tee


def uninstall(tee: StdoutTee | None) -> None:
    """sys.stdout back to the stream the tee wrapped; if the script replaced sys.stdout meanwhile
    (a logger around it, say), that stays, and the tee inside it only passes writes through."""
    if tee is None:
        return
    tee.detach_reader()
    if sys.stdout is tee:
        sys.stdout = tee._stream
