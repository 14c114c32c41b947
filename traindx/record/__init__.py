"""Recording: hooks, on-device statistics, the sampling schedule and the run-directory writer.

The torch-dependent parts load on first use, so that reading and diagnosing logs
(`traindx diagnose`, `traindx check`) never pays for importing torch."""
from __future__ import annotations

from importlib import import_module

_LAZY = {"Recorder": "recorder", "active": "recorder", "Schedule": "schedule"}
__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
