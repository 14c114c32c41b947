"""Runs: the shared Run model and one reader per log format, found by sniffing the path."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

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


def _sniff(path: Path) -> Reader | None:
    for reader in READERS:
        try:
            if reader[1](path):
                return reader
        except OSError:
            continue
    return None


def load_runs(path: str | Path) -> list[Run]:
    """Every run found at `path`: a run directory or log file, or a folder of them (searched two
    levels down). Raises InputError with a one-line reason when nothing can be read."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file or directory")
    reader = _sniff(path)
    if reader is not None:
        return reader[2](path)
    if path.is_dir():
        runs: list[Run] = []
        for child in sorted(path.iterdir()):
            if child.name.startswith("."):
                continue
            if _sniff(child) is not None:
                runs.extend(load_runs(child))
            elif child.is_dir():
                runs.extend(r for sub in sorted(child.iterdir()) if _sniff(sub) is not None
                            for r in load_runs(sub))
        if runs:
            return runs
        raise InputError(path, "no run or log in a format traindx reads (see `traindx diagnose --help`)")
    raise InputError(path, "not a log format traindx reads (see `traindx diagnose --help`)")


def _register_builtin_readers() -> None:
    """Optional reader modules (other log formats) register themselves when imported."""
    try:
        from . import formats  # noqa: F401
    except ImportError:
        pass


_register_builtin_readers()

__all__ = ["InputError", "LayerTable", "Run", "Series", "load_runs", "register_reader"]
