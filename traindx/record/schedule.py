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
    # ... and the first `dense` steps from here: a second training in the same process (fine-tuning
    # after pre-training, the next fold) starts at this step, and its first updates are where a
    # wrong lr or init shows (fresh14: a LoRA at lr 0.5 wrecked within 25 steps of its phase,
    # between two samples 50 apart)
    origin: int = 0

    def __call__(self, step: int) -> bool:
        """`step` counts optimiser steps from 0 (the first)."""
        return self.dense_at(step) or step % max(self.every, 1) == 0

    def dense_at(self, step: int) -> bool:
        """Whether `step` is among the first `dense` of the run or of its latest training phase."""
        return step < self.dense or 0 <= step - self.origin < self.dense
