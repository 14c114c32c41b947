"""TensorBoard event files (`events.out.tfevents.*`), read with TensorBoard's own EventAccumulator
(optional extra: `pip install 'traindx[tensorboard]'`).

A run is a folder holding event files (`SummaryWriter(log_dir)`, Lightning's `version_N/`, Hugging
Face's `runs/<date>_<host>/`), or one event file. Keras' TensorBoard callback writes `train/` and
`validation/` sub-folders with `epoch_loss`, `epoch_accuracy`: they are merged into one run as
`train/epoch_loss`, `validation/epoch_loss`; `add_scalars("Loss", {"train": .., "val": ..})`'s
sub-folders `Loss_train/`, `Loss_val/` as `Loss/train`, `Loss/val`. Scalars come from `add_scalar`
(simple values) or TF2
scalar tensors. Histograms of gradients (`grad/fc1.weight`, `gradients/fc1.weight`,
`fc1.weight.grad`, `fc1.weight/grad`) and of weights (`weights/fc1.weight`, `fc1.weight`) give the
per-layer norms sqrt(sum of squares) in `run.params` (grad_norm, weight_norm). Scalars written
under per-phase prefixes with no loss at the top (`source/train_loss` and `target/train_loss`: a
pre-training and a fine-tuning in one log) are one run per phase.
"""
from __future__ import annotations

import math
import re
import struct
from pathlib import Path

from ...errors import InputError
from .. import register_reader
from . import columns
from .common import LOSSES, Collector, build_run

SPLIT_DIRS = ("train", "validation", "val", "eval", "test")
GRAD_WORDS = {"grad", "grads", "gradient", "gradients"}
WEIGHT_WORDS = {"weight", "weights", "param", "params", "parameters"}


def _is_event_file(path: Path) -> bool:
    return path.is_file() and "tfevents" in path.name


def _event_dirs(path: Path) -> list[tuple[str, Path]]:
    """(tag prefix, folder) pairs that make up the run at `path`."""
    if _is_event_file(path):
        return [("", path)]
    if not path.is_dir():
        return []
    pairs = [("", path)] if any(_is_event_file(c) for c in path.iterdir()) else []
    for name in SPLIT_DIRS:
        sub = path / name
        if sub.is_dir() and any(_is_event_file(c) for c in sub.iterdir()):
            pairs.append((name + "/", sub))
    if pairs and pairs[0][0] == "":  # a writer's own folder: add_scalars groups below it
        pairs += [(GROUPED + sub.name, sub) for sub in sorted(path.iterdir())
                  if sub.is_dir() and sub.name not in SPLIT_DIRS and "_" in sub.name
                  and any(_is_event_file(c) for c in sub.iterdir())]
    return pairs


GROUPED = "*"  # the prefix of a candidate add_scalars folder


def _tag_name(prefix: str, tag: str) -> str | None:
    """The name a scalar goes by. `add_scalars("Loss", {"train": x, "val": y})` writes the tag
    "Loss" into the folders `Loss_train/` and `Loss_val/` beside the writer's own: "Loss/train".
    A sub-folder whose tags are not so named is another run, not read here (None)."""
    if not prefix.startswith(GROUPED):
        return prefix + tag
    folder = prefix[len(GROUPED):]
    main = tag.replace("/", "_") + "_"
    return f"{tag}/{folder[len(main):]}" if folder.startswith(main) and len(folder) > len(main) else None


def sniff(path: Path) -> bool:
    return bool(_event_dirs(path))


def _accumulator(target: Path):
    try:
        from tensorboard.backend.event_processing import event_accumulator as ea
    except ImportError:
        raise InputError(target, "reading TensorBoard logs needs the tensorboard package: "
                                 "pip install 'traindx[tensorboard]'") from None
    acc = ea.EventAccumulator(str(target), size_guidance={ea.SCALARS: 0, ea.HISTOGRAMS: 0,
                                                          ea.TENSORS: 0})
    try:
        acc.Reload()
    except Exception as exc:  # DataLossError and friends from a corrupt file
        raise InputError(target, f"unreadable TensorBoard event file ({type(exc).__name__}: {exc})") from None
    return acc


def truncated(path: Path) -> bool:
    """Whether an event file ends inside a record (TFRecord framing: u64 length, u32 crc, data,
    u32 crc), as a file being written or cut off does."""
    try:
        size = path.stat().st_size
        pos = 0
        with open(path, "rb") as fh:
            while pos + 12 <= size:
                fh.seek(pos)
                (length,) = struct.unpack("<Q", fh.read(8))
                pos += 12 + length + 4
    except OSError:
        return False
    return pos != size


def _event_files(target: Path) -> list[Path]:
    return [target] if target.is_file() else sorted(c for c in target.iterdir() if _is_event_file(c))


def _tensor_value(event) -> float | None:
    from tensorboard.util import tensor_util
    try:
        array = tensor_util.make_ndarray(event.tensor_proto)
    except Exception:
        return None
    # one number; a text summary (the HF Trainer writes its arguments as one) is a string
    if array.size != 1 or array.dtype.kind not in "biuf":
        return None
    return float(array.reshape(-1)[0])


def _histogram_norm(hist) -> float:
    """sqrt(sum of squares) of the tensor a histogram summarises; NaN/Inf pass through."""
    ss = float(hist.sum_squares)
    if not math.isfinite(ss):
        return ss
    return math.sqrt(ss) if ss >= 0 else float("nan")


def layer_of(tag: str) -> tuple[str, str] | None:
    """(parameter name, "grad_norm" | "weight_norm") for a histogram tag, None if neither."""
    parts = [p for p in tag.split("/") if p]
    low = [p.lower() for p in parts]
    for word in GRAD_WORDS:
        if word in low and len(parts) > 1:
            rest = [p for p, lw in zip(parts, low) if lw != word]
            return "/".join(rest), "grad_norm"
    m = re.match(r"^(.+?)[._](grad|gradient|grads)$", tag)
    if m:
        return m.group(1), "grad_norm"
    if len(parts) > 1 and low[0] in WEIGHT_WORDS:
        return "/".join(parts[1:]), "weight_norm"
    if len(parts) > 1 and low[-1] in WEIGHT_WORDS - {"weight"}:
        return "/".join(parts[:-1]), "weight_norm"
    if re.search(r"(\.|/)(weight|bias|kernel)(_\d+)?$", tag):
        return tag, "weight_norm"
    return None


def read(path: Path):
    got, notes = Collector(), []
    per_layer: dict[str, dict[str, tuple[list[int], list[float]]]] = {}
    for prefix, target in _event_dirs(path):
        acc = _accumulator(target)
        notes += [f"{f.name}: truncated (the last record is incomplete); read up to it"
                  for f in _event_files(target) if truncated(f)]
        tags = acc.Tags()
        scalars = tags.get("scalars", []) + tags.get("tensors", [])
        if prefix.startswith(GROUPED) and (not scalars or None in (_tag_name(prefix, t) for t in scalars)):
            continue  # a folder of another run beside this one
        for tag in tags.get("scalars", []):
            for ev in acc.Scalars(tag):
                got.add(_tag_name(prefix, tag), int(ev.step), ev.value)
        for tag in tags.get("tensors", []):
            for ev in acc.Tensors(tag):
                value = _tensor_value(ev)
                if value is not None:
                    got.add(_tag_name(prefix, tag), int(ev.step), value)
        for tag in tags.get("histograms", []):
            hit = layer_of(tag)
            if hit is None:
                continue
            layer, stat = hit
            per_layer.setdefault(layer, {}).setdefault(stat, ([], []))
            stats = per_layer.setdefault(layer, {})
            for ev in acc.Histograms(tag):
                norm = _histogram_norm(ev.histogram_value)
                stats[stat][0].append(int(ev.step))
                stats[stat][1].append(norm)
                if stat == "grad_norm":
                    bad = stats.setdefault("grad_nonfinite", ([], []))
                    bad[0].append(int(ev.step))
                    bad[1].append(0.0 if math.isfinite(norm) else 1.0)
    if not got.raw and not per_layer:
        raise InputError(path, "TensorBoard log with no scalars (empty or truncated event file)")
    phases = _phases(got.raw)
    if phases:
        runs = [build_run(path, "tensorboard", raw, notes=notes + got.notes(), per_layer=per_layer,
                          what="tag", meta={"run_name": name}) for name, raw in phases.items()]
        for run, name in zip(runs, phases):
            run.path = f"{path}#{name}"  # which phase, in every report
        return runs
    return [build_run(path, "tensorboard", got.raw, notes=notes + got.notes(), per_layer=per_layer,
                      what="tag")]


def _is_loss(name: str) -> bool:
    hit = columns.classify(name)  # a loss's known spelling (not a part such as `loss_cls`)
    return hit is not None and hit[0] in LOSSES and hit[1] < columns.GENERIC_RANK


def _phases(raw: dict) -> dict[str, dict] | None:
    """{phase: its series, prefix removed, with the unprefixed ones (`epoch`)} when no tag is a
    loss but two or more `<phase>/` prefixes each hold one; None otherwise."""
    if any(_is_loss(name) for name in raw):
        return None
    shared = {name: v for name, v in raw.items() if "/" not in name}
    groups: dict[str, dict] = {}
    for name, v in raw.items():
        head, sep, rest = name.partition("/")
        if sep:
            groups.setdefault(head, {})[rest] = v
    phases = {g: {**shared, **series} for g, series in groups.items() if any(map(_is_loss, series))}
    return phases if len(phases) >= 2 else None


register_reader("tensorboard", sniff, read)
