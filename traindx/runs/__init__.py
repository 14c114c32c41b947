"""Runs: the shared Run model and one reader per log format, found by sniffing the path."""
from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError
from .model import LayerTable, Run, Series
from .traindx_dir import is_run_dir, read_run_dir

# (format name, does this path look like it?, read it into one or more Runs)
Reader = tuple[str, Callable[[Path], bool], Callable[[Path], "list[Run]"]]
READERS: list[Reader] = [
    ("traindx", is_run_dir, lambda p: [read_run_dir(p)]),
]


def register_reader(name: str, sniff: Callable[[Path], bool], read: Callable[[Path], list[Run]]) -> None:
    READERS.append((name, sniff, read))


_unreadable: contextvars.ContextVar[list | None] = contextvars.ContextVar("traindx_unreadable",
                                                                        default=None)


@contextlib.contextmanager
def collect_unreadable() -> Iterator[list[InputError]]:
    """Within the block, a log that cannot be read inside a searched folder (or a store of several
    runs) is listed here instead of stopping the whole search."""
    token = _unreadable.set([])
    try:
        yield _unreadable.get()
    finally:
        _unreadable.reset(token)


def skip_or_raise(exc: InputError) -> None:
    sink = _unreadable.get()
    if sink is None:
        raise exc
    sink.append(exc)


def _load_child(path: Path) -> list[Run]:
    try:
        return load_runs(path)
    except InputError as exc:
        skip_or_raise(exc)
        return []


def _sniff(path: Path) -> Reader | None:
    for reader in READERS:
        try:
            if reader[1](path):
                return reader
        except Exception:  # a sniffer reads arbitrary bytes: any failure means "not this format"
            continue
    return None


def load_runs(path: str | Path) -> list[Run]:
    """Every run found at `path`: a run directory or log file, or a folder of them (searched
    SEARCH_DEPTH levels down, e.g. runs/exp1/lightning_logs/version_0). Raises InputError with a
    one-line reason when nothing can be read."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or directory")
    reader = _sniff(path)
    if reader is not None:
        return reader[2](path)
    if path.is_dir():
        runs = _search(path, SEARCH_DEPTH, set())
        if runs:
            return runs
        if _unreadable.get():
            raise _unreadable.get()[0]
        raise InputError(path, "no run or log in a format traindx reads (see `traindx diagnose --help`)")
    raise InputError(path, "not a log format traindx reads (see `traindx diagnose --help`)")


SEARCH_DEPTH = 3


def _search(folder: Path, depth: int, seen: set) -> list[Run]:
    """The runs below `folder`; a run reached twice (a symlink to a run also found by its own
    path, a link loop) is read once, by its own path when it has one here (links come last)."""
    runs: list[Run] = []
    try:
        children = sorted(folder.iterdir(), key=lambda c: (c.is_symlink(), c.name))
    except OSError as exc:  # a folder that cannot be listed is said, not skipped in silence
        skip_or_raise(InputError(folder, f"cannot list ({exc.strerror})"))
        return runs
    for child in children:
        if child.name.startswith(".") or child.name == "__pycache__":
            continue
        try:
            real = child.resolve()
        except (OSError, RuntimeError):
            continue
        if real in seen:
            continue
        seen.add(real)
        if _sniff(child) is not None:
            runs.extend(_load_child(child))
        elif child.is_dir() and depth > 1:
            runs.extend(_search(child, depth - 1, seen))
    return runs


def _register_builtin_readers() -> None:
    """Optional reader modules (other log formats) register themselves when imported."""
    try:
        from . import formats  # noqa: F401
    except ImportError:
        pass


_register_builtin_readers()

__all__ = ["InputError", "LayerTable", "Run", "Series", "collect_unreadable", "load_runs",
           "register_reader", "skip_or_raise"]
