"""traindx: tells you why a PyTorch model is not training well, and what to do about it."""
from __future__ import annotations

__version__ = "0.1.0"

from .api import diagnose_path, log, watch  # noqa: E402

__all__ = ["__version__", "diagnose_path", "log", "watch"]
