"""Which logged column is which signal: the table of common spellings, and `--map` overrides.

A column name is split into words at `_ / - . :` and spaces, case ignored. A word naming the split
(`train`, `val`, `valid`, `validation`, `eval`, `dev`, `test`, ...) says which data set; what is left
must name the metric (`loss`, `acc`, `accuracy`, ...), optionally with a qualifier (`step`, `epoch`,
`mean`, `avg`). No split word means train. So `loss`, `train_loss`, `Loss/train`, `train/loss`,
`train_loss_step` are train_loss; `val_loss`, `valid_loss`, `eval_loss`, `validation/epoch_loss`,
`loss_val` are eval_loss. When several columns give the same signal the most direct spelling wins
(`val_loss` over `val_loss_epoch`; per-step over per-epoch train loss).

`--map train_loss=COLUMN` (repeatable) forces a column; see docs/formats.md for the full table.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from typing import Iterable, Iterator

from ...errors import InputError
from ...record.names import GENERIC_RANK, axis, classify, split_of, stem  # (the spelling table; readers call columns.classify)

# canonical signal names a reader may produce (SPEC / ARCHITECTURE: Run.scalars)
CANONICAL = ("train_loss", "eval_loss", "test_loss", "train_acc", "eval_acc", "test_acc", "lr",
             "grad_norm", "bayes_error", "bayes_loss", "step", "epoch")

# per-layer norm columns: Lightning's `grad_2.0_norm/fc1.weight`, `grad_norm/fc1.weight`, Ignite's
# Grads/WeightsScalarHandler `grads_norm/0/weight`, `training/weights_norm/fc1/bias`; the layer is
# the parameter's name, in `a.b` or `a/b` spelling (written `a.b`)
LAYER_NORM = re.compile(r"^(?:[\w.-]+/)?(grads?|weights?)(?:_[\d.]+)?_norm[/_](.+[./].+)$")


def layer_stat(name: str) -> tuple[str, str] | None:
    """(parameter name, "grad_norm" | "weight_norm") for a per-layer norm column, else None."""
    m = LAYER_NORM.match(name)
    if m is None:
        return None
    stat = "grad_norm" if m.group(1).startswith("grad") else "weight_norm"
    return m.group(2).replace("/", "."), stat

_overrides: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("traindx_column_map",
                                                                           default={})


def assign(names: Iterable[str], *, counts: dict[str, int] | None = None) -> dict[str, str]:
    """{canonical: column} for the columns present, `--map` overrides applied. `counts` (points per
    column) breaks ties in favour of the column with more data."""
    names = list(names)
    best: dict[str, tuple[int, int, str]] = {}
    for name in names:
        hit = classify(name)
        if hit is None:
            continue
        canon, rank = hit
        n = (counts or {}).get(name, 0)
        if canon in best and counts:
            rank = _by_points(rank, n, best[canon][0], -best[canon][1])
        key = (rank, -n, name)
        if canon not in best or key < best[canon]:
            best[canon] = key
    chosen = {canon: key[2] for canon, key in best.items() if not _parts_of_one(canon, key[0], names)}
    for canon, column in _overrides.get().items():
        match = _find(column, names)
        if match is not None:
            chosen[canon] = match
    return chosen


def _by_points(rank: int, n: int, other_rank: int, other_n: int) -> int:
    """Two plain spellings of one signal (rank 0 or 1: fairseq's per-update `loss` beside its
    per-epoch `train_loss`), or a plain one beside a `_step`, `mean` or `running` one (rank 2-3:
    `train/loss` per epoch beside `train/loss_step`): the one with twice the other's points or more
    is the per-step series, whatever its spelling; otherwise the spelling decides."""
    if max(rank, other_rank) > 3 or not (n and other_n):
        return rank
    return other_rank - 1 if n >= 2 * other_n else other_rank + 1 if other_n >= 2 * n else rank


def _parts_of_one(canon: str, rank: int, names: list[str]) -> bool:
    """Whether the best column for `canon` is one of several named only by an unknown word and
    `loss`/`acc` (`loss_cls` and `loss_box_reg`, `kl_loss` and `recon_loss`): the parts of a
    total that is not logged. Taking one of them would judge a part as the whole; `--map` says."""
    if rank < GENERIC_RANK:
        return False
    same = {stem(n) for n in names if (hit := classify(n)) is not None and hit[0] == canon and hit[1] >= GENERIC_RANK}
    return len(same) > 1


def loss_parts(names: Iterable[str], chosen: dict[str, str]) -> dict[str, list[str]]:
    """{canonical loss: its parts} for a loss logged only as parts (YOLO's `train/box_loss`,
    `train/cls_loss`, `train/dfl_loss`; a VAE's `recon_loss` and `kl_loss`): their sum is the
    objective the optimiser minimised (YOLO logs its parts already weighted)."""
    names = list(names)
    parts: dict[str, list[str]] = {}
    for name in names:
        hit = classify(name)
        if hit is not None and hit[0].endswith("_loss") and hit[0] not in chosen and hit[1] >= GENERIC_RANK:
            parts.setdefault(hit[0], []).append(name)
    return {canon: cols for canon, cols in parts.items() if len({stem(c) for c in cols}) > 1}


def mapped() -> dict[str, str]:
    """The `--map` entries in effect ({canonical: column})."""
    return dict(_overrides.get())


def missing_overrides(names: Iterable[str]) -> list[str]:
    """`--map` entries whose column is not in `names` (a reader turns these into a clear error)."""
    names = list(names)
    return [f"{canon}={col}" for canon, col in _overrides.get().items() if _find(col, names) is None]


def _find(column: str, names: list[str]) -> str | None:
    if column in names:
        return column
    folded = [n for n in names if n.lower() == column.lower()]
    return folded[0] if len(folded) == 1 else None


def parse_map(entries: Iterable[str] | None) -> dict[str, str]:
    """`["train_loss=my_loss", ...]` -> {"train_loss": "my_loss"}; InputError on a bad entry."""
    out: dict[str, str] = {}
    for entry in entries or ():
        canon, sep, column = entry.partition("=")
        canon, column = canon.strip(), column.strip()
        if not sep or not column:
            raise InputError("--map", f"expected NAME=COLUMN, got {entry!r}")
        if canon not in CANONICAL:
            raise InputError("--map", f"unknown name {canon!r}; one of: {', '.join(CANONICAL)}")
        out[canon] = column
    return out


@contextlib.contextmanager
def overrides(mapping: dict[str, str] | None) -> Iterator[None]:
    """Within the block, readers use `mapping` ({canonical: column}) before the spelling table."""
    token = _overrides.set(dict(mapping or {}))
    try:
        yield
    finally:
        _overrides.reset(token)
