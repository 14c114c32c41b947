"""A sample of the training data, inputs paired with their targets, for the capacity probe (a small
MLP fit on it at diagnosis says what error the data allows: the course's estimate of the Bayes
error, as a better model reaches it). Tabular inputs only (a batch of feature rows), a few
thousand rows at most, copied on the device at sampled steps and written once, at the end, as
`sample.npz`. TRAINDX_DATA_SAMPLE=0 keeps no data."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from .capture import kind

MAX_ROWS = 4096
ROWS_PER_STEP = 256
MAX_FEATURES = 512  # wider inputs are images or embeddings flattened: not a table a small MLP reads
MAX_OUTPUTS = 16  # a regression's target columns
FILE = "sample.npz"


def enabled() -> bool:
    return os.environ.get("TRAINDX_DATA_SAMPLE", "1").strip() not in ("0", "false", "no", "off")


class DataSample:
    """The model's input of a sampled training forward, paired with the target of the training
    loss that follows it (same batch size); the task's kind is the first pair's."""

    def __init__(self) -> None:
        self.on = enabled()
        self._pending: tuple[torch.Tensor, int] | None = None
        self._xs: list[torch.Tensor] = []
        self._ys: list[torch.Tensor] = []
        self.rows = 0
        self.kind: str | None = None  # classification | binary | regression
        self.classes = 0

    @property
    def full(self) -> bool:
        return not self.on or self.rows >= MAX_ROWS

    def offer_input(self, x) -> None:
        self._pending = None
        if self.full or not isinstance(x, torch.Tensor) or x.dim() != 2 or not x.is_floating_point() \
                or not 1 <= x.shape[1] <= MAX_FEATURES or x.shape[0] < 2:
            return
        self._pending = (x.detach()[:ROWS_PER_STEP].float().clone(), int(x.shape[0]))

    def offer_target(self, loss: str, inp, target) -> None:
        """The training loss of the step whose input was offered: its targets, when they are one
        row per input row."""
        pending, self._pending = self._pending, None
        if pending is None or not isinstance(target, torch.Tensor) or not isinstance(inp, torch.Tensor):
            return
        x, batch = pending
        task, classes = kind(loss), 0
        if target.shape[:1] != (batch,) or inp.shape[:1] != (batch,):
            return
        if task == "classification" and target.dim() == 1 and not target.is_floating_point() \
                and inp.dim() == 2:
            classes = int(inp.shape[1])
        elif task == "binary" and target.is_floating_point() and target.numel() == batch:
            classes = 2
        elif not (task == "regression" and target.is_floating_point()
                  and target.numel() <= batch * MAX_OUTPUTS):
            return
        if self.kind is None:
            self.kind, self.classes = task, classes
        elif (task, classes) != (self.kind, self.classes):
            return  # a second task's loss (an auxiliary head): the first task's rows only
        y = target.detach()[:len(x)].reshape(len(x), -1)
        if self._xs and (x.shape[1] != self._xs[0].shape[1] or y.shape[1] != self._ys[0].shape[1]):
            return  # another model's inputs (a second root of another width)
        self._xs.append(x)
        self._ys.append(y.long() if classes else y.float())
        self.rows += len(x)

    def save(self, folder: Path) -> None:
        if not self._xs:
            return
        x = torch.cat(self._xs)[:MAX_ROWS].cpu().numpy()
        y = torch.cat(self._ys)[:MAX_ROWS].cpu().numpy()
        np.savez(folder / FILE, x=x, y=y, kind=np.array(self.kind), classes=np.array(self.classes))
