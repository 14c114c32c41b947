"""traindx: tells you why a PyTorch model is not training well, and what to do about it."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "StopTraining", "diagnose_path", "log", "watch"]


def __getattr__(name: str):
    # watch/log need torch; loaded on first use so that `traindx diagnose` starts fast
    if name in ("watch", "log", "diagnose_path"):
        from . import api
        return getattr(api, name)
    if name == "StopTraining":
        from .record.recorder import StopTraining
        return StopTraining
    raise AttributeError(f"module 'traindx' has no attribute {name!r}")
