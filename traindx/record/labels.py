"""What a classification loss's inputs and targets tell: accuracy and per-class counts (the label
distribution, the predictions, the correct ones), kept on the device until the recorder flushes."""
from __future__ import annotations

import torch

from .capture import BINARY, CLASSIFICATION

MAX_LABEL_CLASSES = 1000  # beyond this (language models' vocabularies) only accuracy is kept
EVAL_KEYS = ("eval_counts", "eval_pred_counts", "eval_correct")


def predictions(name: str, inp, target, kwargs: dict):
    """(pred, truth, valid or None, n_classes, per_class) for a classification loss, else None.
    `per_class` says whether per-class counts make sense (single-label, <= MAX_LABEL_CLASSES)."""
    if not (isinstance(inp, torch.Tensor) and isinstance(target, torch.Tensor)):
        return None
    inp, target = inp.detach(), target.detach()
    if name in CLASSIFICATION and inp.dim() >= 2 and not target.is_floating_point() \
            and target.dim() == inp.dim() - 1:
        valid = target != kwargs.get("ignore_index", -100)
        n_classes = inp.shape[1]
        return inp.argmax(dim=1), target, valid, n_classes, n_classes <= MAX_LABEL_CLASSES
    if name in BINARY and inp.shape == target.shape and target.is_floating_point():
        threshold = 0.0 if name.endswith("logits") else 0.5
        # one binary task per sample, or per position of a one-channel map ([N, 1, H, W]: a
        # segmentation mask, its pixels the samples); multi-label outputs: accuracy only
        single = inp.dim() <= 1 or inp.shape[-1] == 1 or (inp.dim() >= 3 and inp.shape[1] == 1)
        return (inp > threshold).long(), (target > 0.5).long(), None, 2, single
    return None


def batch_makeup(truth, valid, n_classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(share of the batch's most common class, labelled targets in the batch), on the device: a
    shuffled batch mixes the classes about as the data does; a run of one-class batches is data
    sorted by class and never shuffled."""
    t = truth.reshape(-1).long().clamp(0, n_classes - 1)
    w = valid.reshape(-1).long() if valid is not None else torch.ones_like(t)
    counts = torch.zeros(n_classes, dtype=torch.long, device=t.device).index_add_(0, t, w)
    total = counts.sum()
    return counts.max().float() / total.clamp_min(1).float(), total.float()


def correct_count(pred, truth, valid) -> torch.Tensor:
    hit = pred == truth
    return (hit & valid).sum() if valid is not None else hit.sum()


class LabelCounts:
    """Cumulative per-class counts per mode ("train", "eval"); the eval counts restart with each
    evaluation pass, so they describe the model as it is now, not as it was at the start."""

    def __init__(self) -> None:
        self.counts: dict[str, torch.Tensor] = {}

    def new_eval_pass(self) -> None:
        for key in EVAL_KEYS:
            self.counts.pop(key, None)

    def add(self, mode: str, truth, pred, n_classes: int, valid) -> None:
        """Adds a batch in place, on the device. No boolean indexing and no bincount: on a GPU both
        read a size back to the host (a sync) every step."""
        t = truth.reshape(-1).long().clamp(0, n_classes - 1)
        p = pred.reshape(-1).long().clamp(0, n_classes - 1)
        weight = valid.reshape(-1).long() if valid is not None else torch.ones_like(t)
        for key, index, w in ((f"{mode}_counts", t, weight), (f"{mode}_pred_counts", p, weight),
                              (f"{mode}_correct", t, weight * (p == t))):
            counts = self.counts.get(key)
            if counts is None or counts.shape[0] != n_classes or counts.device != t.device:
                counts = self.counts[key] = torch.zeros(n_classes, dtype=torch.long, device=t.device)
            counts.index_add_(0, index, w)

    def to_host(self) -> dict[str, list[int]]:
        """Called at flush only: one transfer per count vector."""
        return {k: v.cpu().tolist() for k, v in self.counts.items()}
