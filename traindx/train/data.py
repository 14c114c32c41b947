"""Data for the built-in trainer: synthetic sets generated in code, or the user's CSV/NPZ file;
train/val/test split, k-fold, normalisation, label noise, imbalance, class weights.

Reproducibility: the data set's definition (spiral arms, blob centres, teacher weights) comes from
`seed`; each split has its own random stream, so changing n_train (a remedy, a learning curve)
keeps the validation and test sets exactly the same, and smaller training sets are prefixes of
larger ones.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import InputError

SPLITS = ("train", "val", "test")


@dataclass
class Data:
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    task: str  # classification | regression
    n_classes: int  # 0 for regression
    input_shape: tuple  # one example's shape: (d,) or (C, H, W)

    def subset(self, n_train: int) -> "Data":
        """The first n_train training examples (nested: smaller sets are prefixes)."""
        return replace(self, x_train=self.x_train[:n_train], y_train=self.y_train[:n_train])


# ------------------------------------------------------------------ generators
def _class_probs(n_classes: int, imbalance: float) -> np.ndarray:
    """Geometric class frequencies with majority/minority ratio `imbalance`."""
    if n_classes < 2 or imbalance <= 1.0:
        return np.full(n_classes, 1.0 / n_classes)
    p = imbalance ** (-np.arange(n_classes) / (n_classes - 1))
    return p / p.sum()


def _labels(rng, n: int, probs: np.ndarray) -> np.ndarray:
    return rng.choice(len(probs), size=n, p=probs)


def _spirals(definition, rng, y, d):
    c = d["n_classes"]
    r = rng.uniform(0.05, 1.0, size=len(y))
    theta = y * (2 * np.pi / c) + r * 4.0 + rng.normal(0, d["noise"], size=len(y))
    return np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)


def _blobs(definition, rng, y, d):
    centres = definition.normal(0, 2.0, size=(d["n_classes"], d["n_features"]))
    return centres[y] + rng.normal(0, max(d["noise"], 1e-6), size=(len(y), d["n_features"]))


def _bars(definition, rng, y, d):
    """1x8x8 images: class 0 horizontal bar, 1 vertical, 2 diagonal, 3 anti-diagonal, ..."""
    size = 8
    img = np.zeros((len(y), 1, size, size))
    pos = rng.integers(0, size, size=len(y))
    idx = np.arange(size)
    for i, (k, p) in enumerate(zip(y, pos)):
        kind = k % 4
        if kind == 0:
            img[i, 0, p, :] = 1
        elif kind == 1:
            img[i, 0, :, p] = 1
        elif kind == 2:
            img[i, 0, idx, (idx + p) % size] = 1
        else:
            img[i, 0, idx, (p - idx) % size] = 1
        img[i] *= 1.0 + 0.25 * (k // 4)  # classes beyond 4 differ in brightness
    return img + rng.normal(0, d["noise"], size=img.shape)


def _teacher_net(definition, d):
    dims = [d["n_features"], 32, 32, d["n_classes"]]
    return [(definition.normal(0, 1.0 / np.sqrt(a), size=(a, b)), definition.normal(0, 0.5, size=b))
            for a, b in zip(dims[:-1], dims[1:])]


def _teacher_logits(net, x):
    h = x
    for i, (w, b) in enumerate(net):
        h = h @ w + b
        if i < len(net) - 1:
            h = np.tanh(h)
    return h


def _regression(definition, rng, n, d):
    f = d["n_features"]
    w = definition.normal(0, 1.0, size=f)
    a = definition.uniform(0.5, 2.0, size=f)
    x = rng.uniform(-2, 2, size=(n, f))
    y = np.sin(x * a).sum(1) + 0.5 * x @ w + rng.normal(0, d["noise"], size=n)
    return x, y


CHUNK = 256


def _generate(d: dict, seed: int, split: int, n: int):
    """n examples of one split, made in fixed-size chunks with their own random streams, so the
    first k examples do not depend on n (smaller training sets are prefixes of larger ones)."""
    xs, ys = [], []
    for chunk in range(max(1, -(-n // CHUNK))):
        x, y = _generate_chunk(d, seed, split, chunk)
        xs.append(x)
        ys.append(y)
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def _generate_chunk(d: dict, seed: int, split: int, chunk: int):
    n = CHUNK
    definition = np.random.default_rng([seed, 0])
    rng = np.random.default_rng([seed, split + 1, chunk])
    name = d["dataset"]
    if name == "regression":
        return _regression(definition, rng, n, d)
    probs = _class_probs(d["n_classes"], d["imbalance"])
    if name == "teacher":
        net = _teacher_net(definition, d)
        want = np.round(probs * n).astype(int)
        want[0] += n - want.sum()
        xs, ys, have = [], [], np.zeros(len(probs), int)
        for _ in range(200):
            x = rng.normal(0, 1, size=(4 * n, d["n_features"]))
            logits = _teacher_logits(net, x) + rng.normal(0, d["noise"], size=(len(x), len(probs)))
            y = logits.argmax(1)
            for c in range(len(probs)):
                take = np.where(y == c)[0][:max(want[c] - have[c], 0)]
                xs.append(x[take])
                ys.append(y[take])
                have[c] += len(take)
            if (have >= want).all():
                break
        x, y = np.concatenate(xs), np.concatenate(ys)
        order = rng.permutation(len(y))
        x, y = x[order], y[order]
    else:
        y = _labels(rng, n, probs)
        gen = {"spirals": _spirals, "blobs": _blobs, "bars": _bars}[name]
        x = gen(definition, rng, y, d)
    return x, _noisy_labels(y, d["label_noise"], d["n_classes"], rng)


def _noisy_labels(y: np.ndarray, frac: float, n_classes: int, rng) -> np.ndarray:
    """A fraction `frac` of the labels re-drawn uniformly at random (some land on the same class)."""
    if frac <= 0:
        return y
    flip = rng.random(len(y)) < frac
    return np.where(flip, rng.integers(0, n_classes, size=len(y)), y)


# ------------------------------------------------------------------ files
def _load_file(d: dict) -> tuple[np.ndarray, np.ndarray]:
    path = Path(d["path"])
    if not path.is_file():
        raise InputError(path, "no such data file")
    if d["dataset"] == "npz":
        try:
            with np.load(path, allow_pickle=False) as z:
                keys = set(z.files)
                xk = next((k for k in ("x", "X", "inputs") if k in keys), None)
                yk = next((k for k in ("y", "Y", "targets", "labels") if k in keys), None)
                if xk is None or yk is None:
                    raise InputError(path, "npz needs arrays x and y")
                return np.asarray(z[xk], dtype=np.float64), np.asarray(z[yk])
        except (OSError, ValueError) as exc:
            raise InputError(path, f"cannot read npz ({type(exc).__name__})") from None
    try:
        with path.open(encoding="utf-8") as fh:
            header = fh.readline().strip().split(",")
        has_header = any(not _is_number(h) for h in header)
        table = np.loadtxt(path, delimiter=",", skiprows=1 if has_header else 0, ndmin=2)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read csv ({type(exc).__name__}: numeric columns expected)") from None
    col = table.shape[1] - 1
    if d["target"] is not None:
        if has_header and d["target"] in header:
            col = header.index(d["target"])
        elif str(d["target"]).lstrip("-").isdigit():
            col = int(d["target"]) % table.shape[1]
        else:
            raise InputError(path, f"no column {d['target']!r} (key data.target)")
    return np.delete(table, col, axis=1), table[:, col]


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def _file_splits(d: dict, seed: int):
    x, y = _load_file(d)
    if len(x) != len(y) or len(x) < 3:
        raise InputError(d["path"], "x and y need the same number (>= 3) of rows")
    order = np.random.default_rng([seed, 7]).permutation(len(x))
    x, y = x[order], y[order]
    n = len(x)
    n_test = min(d["n_test"], n // 5)
    n_val = min(d["n_val"], max((n - n_test) // 5, 1))
    n_train = min(d["n_train"], n - n_test - n_val)
    cuts = {"test": (0, n_test), "val": (n_test, n_test + n_val),
            "train": (n_test + n_val, n_test + n_val + n_train)}
    return {s: (x[a:b], y[a:b]) for s, (a, b) in cuts.items()}


# ------------------------------------------------------------------ public
def make(cfg: dict) -> Data:
    """Raw (un-normalised) splits for a validated config."""
    d, seed = cfg["data"], cfg["seed"]
    if d["dataset"] in ("csv", "npz"):
        splits = _file_splits(d, seed)
        y_all = np.concatenate([splits[s][1] for s in SPLITS])
        task = d["task"]
        if task == "auto":
            whole = np.all(np.equal(np.mod(y_all, 1), 0))
            task = "classification" if whole and len(np.unique(y_all)) <= 100 else "regression"
        n_classes = int(y_all.max()) + 1 if task == "classification" else 0
        if task == "classification" and y_all.min() < 0:
            raise InputError(d["path"], "class labels must be 0..C-1")
    else:
        task = "regression" if d["dataset"] == "regression" else "classification"
        n_classes = d["n_classes"] if task == "classification" else 0
        sizes = {"train": d["n_train"], "val": d["n_val"], "test": d["n_test"]}
        splits = {}
        for i, s in enumerate(SPLITS):
            x, y = _generate(d, seed, i, sizes[s])
            splits[s] = (x * d["scale"] + d["shift"], y)
    arrays = {}
    for s in SPLITS:
        x, y = splits[s]
        arrays[f"x_{s}"] = np.asarray(x, dtype=np.float32)
        arrays[f"y_{s}"] = np.asarray(y, dtype=np.int64 if task == "classification" else np.float32)
    return Data(**arrays, task=task, n_classes=n_classes, input_shape=tuple(arrays["x_train"].shape[1:]))


def normalize(data: Data, how: str) -> Data:
    """z-score or min-max per feature, with statistics of the training set only."""
    if how == "none":
        return data
    flat = data.x_train.reshape(len(data.x_train), -1)
    if how == "zscore":
        centre, scale = flat.mean(0), flat.std(0)
    else:
        centre, scale = flat.min(0), flat.max(0) - flat.min(0)
    scale = np.where(scale > 1e-12, scale, 1.0)

    def apply(x):
        if not len(x):
            return x
        return ((x.reshape(len(x), -1) - centre) / scale).reshape(x.shape).astype(np.float32)

    return replace(data, x_train=apply(data.x_train), x_val=apply(data.x_val), x_test=apply(data.x_test))


def folds(data: Data, k: int, seed: int) -> list[Data]:
    """k-fold cross-validation: train and val pooled, each fold in turn is the validation set."""
    x = np.concatenate([data.x_train, data.x_val])
    y = np.concatenate([data.y_train, data.y_val])
    parts = np.array_split(np.random.default_rng([seed, 11]).permutation(len(x)), k)
    out = []
    for i in range(k):
        tr = np.concatenate([p for j, p in enumerate(parts) if j != i])
        out.append(replace(data, x_train=x[tr], y_train=y[tr], x_val=x[parts[i]], y_val=y[parts[i]]))
    return out


def class_weights(y: np.ndarray, n_classes: int) -> np.ndarray:
    """Inverse class frequency, normalised to mean 1 (classes absent from y get weight 1)."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    w = np.where(counts > 0, counts.sum() / (n_classes * np.maximum(counts, 1)), 1.0)
    return (w / w.mean()).astype(np.float32)


def oversample_index(y: np.ndarray, n_classes: int, rng: np.random.Generator) -> np.ndarray:
    """An epoch's indices drawn with replacement so each class is equally likely."""
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    p = 1.0 / counts[y]
    return rng.choice(len(y), size=len(y), replace=True, p=p / p.sum())
