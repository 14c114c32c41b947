"""Recording: hooks, on-device statistics, the sampling schedule and the run-directory writer."""
from .recorder import Recorder, active
from .schedule import Schedule

__all__ = ["Recorder", "Schedule", "active"]
