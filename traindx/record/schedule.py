"""When to take the expensive per-layer statistics: a plain `step -> bool`.

Dense at the start, where initialisation problems show, then every `every` steps."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_EVERY = 50
DEFAULT_DENSE = 10


@dataclass(frozen=True)
class Schedule:
    every: int = DEFAULT_EVERY  # after the dense start, sample every `every` optimiser steps
    dense: int = DEFAULT_DENSE  # sample each of the first `dense` steps

    def __call__(self, step: int) -> bool:
        """`step` counts optimiser steps from 0 (the first)."""
        return step < self.dense or step % max(self.every, 1) == 0
