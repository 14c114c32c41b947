"""The trainer's YAML config: schema with defaults, validation, and remedy patches.

A config is a plain nested dict (sections data, model, training, record, tune) after `load`.
Every key has a default here, in one place; unknown keys and bad values are errors naming the key.
Patches (from the rules table or `traindx tune`) are dotted keys; a string "*k" multiplies the
current value (each element of a list).
"""
from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..safe_io import load_yaml, read_text

DATASETS = ("spirals", "blobs", "teacher", "regression", "bars", "csv", "npz")
ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "tanh", "sigmoid")
INITS = ("auto", "he", "xavier", "default", "normal", "uniform", "zeros")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
SCHEDULES = ("none", "step", "cosine", "exponential")
NORMALIZE = ("zscore", "minmax", "none")

# key -> (default, kind, extra). kind: int, float, bool, choice, str, ints, floats, opt_float, opt_str
SCHEMA: dict[str, dict[str, tuple]] = {
    "data": {
        "dataset": ("spirals", "choice", DATASETS),
        "path": (None, "opt_str", None),        # csv/npz file (relative to the config file)
        "target": (None, "opt_str", None),      # csv: target column name (default: the last one)
        "task": ("auto", "choice", ("auto", "classification", "regression")),
        "n_train": (512, "int", (1, 10_000_000)),
        "n_val": (256, "int", (1, 10_000_000)),
        "n_test": (256, "int", (0, 10_000_000)),
        "n_features": (2, "int", (1, 100_000)),  # blobs/teacher/regression (spirals: 2)
        "n_classes": (3, "int", (2, 1000)),
        "noise": (0.1, "float", (0.0, 100.0)),   # input noise of the generator
        "label_noise": (0.0, "float", (0.0, 1.0)),  # fraction of labels replaced at random
        "imbalance": (1.0, "float", (1.0, 1000.0)),  # majority/minority class ratio
        "scale": (1.0, "float", (1e-12, 1e12)),  # multiplies the raw inputs (to test normalisation)
        "shift": (0.0, "float", (-1e12, 1e12)),  # added to the raw inputs
        "normalize": ("zscore", "choice", NORMALIZE),
        "augment_noise": (0.0, "float", (0.0, 100.0)),  # Gaussian noise added to each train batch
        "class_weights": ("none", "choice", ("none", "balanced")),
        "oversample": (False, "bool", None),
        "folds": (0, "int", (0, 100)),           # k-fold cross-validation (0 or 1: off)
        "bayes_error": (None, "opt_float", (0.0, 1.0)),
    },
    "model": {
        "type": ("mlp", "choice", ("mlp", "cnn")),
        "widths": ([64, 64], "ints", (1, 100_000)),  # hidden widths (cnn: channels per conv block)
        "activation": ("relu", "choice", ACTIVATIONS),
        "init": ("auto", "choice", INITS),
        "init_std": (0.1, "float", (0.0, 1e6)),  # for init: normal / uniform (half-width)
        "batch_norm": (False, "bool", None),
        "dropout": (0.0, "float", (0.0, 0.95)),
        "residual": (False, "bool", None),
    },
    "training": {
        "optimizer": ("adam", "choice", OPTIMIZERS),
        "lr": (1e-3, "float", (0.0, 1e6)),
        "momentum": (0.9, "float", (0.0, 1.0)),  # momentum; rmsprop's momentum is 0
        "betas": ([0.9, 0.999], "floats", (0.0, 1.0)),
        "eps": (1e-8, "float", (0.0, 1.0)),
        "alpha": (0.99, "float", (0.0, 1.0)),   # rmsprop smoothing
        "batch_size": (64, "int", (1, 10_000_000)),
        "epochs": (20, "int", (1, 100_000)),
        "schedule": ("none", "choice", SCHEDULES),
        "step_size": (10, "int", (1, 100_000)),  # step schedule: epochs between decays
        "gamma": (0.5, "float", (0.0, 1.0)),     # step/exponential decay factor
        "weight_decay": (0.0, "float", (0.0, 10.0)),  # L2
        "l1": (0.0, "float", (0.0, 10.0)),
        "grad_clip": (0.0, "float", (0.0, 1e12)),  # max global grad norm; 0 = off
        "early_stopping": (0, "int", (0, 100_000)),  # patience in epochs; 0 = off
    },
    "record": {
        "every": (5, "int", (1, 1_000_000)),     # per-layer statistics every N steps
    },
}
TOP = ("seed", "name", "description", "data", "model", "training", "record", "tune")
# keys whose value may be given as a number where the schema wants a list


def defaults() -> dict[str, Any]:
    cfg: dict[str, Any] = {"seed": 0, "name": "", "description": ""}
    for sec, keys in SCHEMA.items():
        cfg[sec] = {k: copy.deepcopy(v[0]) for k, v in keys.items()}
    cfg["tune"] = {}
    return cfg


def _show(value: Any) -> str:
    """repr(value), short: a 5000-digit integer is not printed (Python refuses past 4300 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 30:
        return f"a {value.bit_length() * 30103 // 100000 + 1}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check(key: str, value: Any, kind: str, extra: Any, where: str) -> Any:
    def bad(problem: str):
        return InputError(where, f"key {key}: {problem}")

    if kind == "choice":
        if isinstance(value, bool) or str(value) not in extra:
            raise bad(f"must be one of {', '.join(extra)}, got {_show(value)}")
        return str(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad(f"must be true or false, got {_show(value)}")
        return value
    if kind in ("opt_str", "str"):
        if value is None and kind == "opt_str":
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise bad(f"must be a string, got {_show(value)}")
        return str(value)
    if kind in ("ints", "floats"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not value:
            raise bad(f"must be a non-empty list of numbers, got {_show(value)}")
        one = "int" if kind == "ints" else "float"
        return [_check(f"{key}[{i}]", v, one, extra, where) for i, v in enumerate(value)]
    if kind == "opt_float" and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):  # YAML reads 1e-3 (no dot) as a string
            try:
                value = float(value)
            except ValueError:
                raise bad(f"must be a number, got {_show(value)}") from None
        else:
            raise bad(f"must be a number, got {_show(value)}")
    if kind == "int":
        if isinstance(value, float) and not (math.isfinite(value) and value == int(value)):
            raise bad(f"must be a whole number, got {_show(value)}")
        value = int(value)  # an int stays exact, however long: the range check below bounds it
    else:
        value = float(value)
        if not math.isfinite(value):
            raise bad(f"must be finite, got {_show(value)}")
    lo, hi = extra
    if not lo <= value <= hi:
        raise bad(f"must be between {lo:g} and {hi:g}, got {_show(value)}")
    return value


def validate(doc: Any, where: str = "config") -> dict[str, Any]:
    """Defaults filled in, every value checked; InputError(where, "key X: problem") otherwise."""
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(where, "a config must be a YAML mapping with sections data, model, training")
    cfg = defaults()
    for top, value in doc.items():
        if top not in TOP:
            raise InputError(where, f"key {top}: unknown (expected one of {', '.join(TOP)})")
        if top == "seed":
            cfg["seed"] = _check("seed", value, "int", (0, 2**31 - 1), where)
        elif top in ("name", "description"):
            cfg[top] = "" if value is None else str(value)
        elif top == "tune":
            if value is not None and not isinstance(value, dict):
                raise InputError(where, "key tune: must be a mapping")
            cfg["tune"] = dict(value or {})
        else:
            if value is None:
                continue
            if not isinstance(value, dict):
                raise InputError(where, f"key {top}: must be a mapping")
            for key, v in value.items():
                spec = SCHEMA[top].get(key)
                if spec is None:
                    raise InputError(where, f"key {top}.{key}: unknown (expected one of "
                                            f"{', '.join(SCHEMA[top])})")
                cfg[top][key] = _check(f"{top}.{key}", v, spec[1], spec[2], where)
    _cross_check(cfg, where)
    return cfg


def _cross_check(cfg: dict, where: str) -> None:
    d = cfg["data"]
    if d["dataset"] in ("csv", "npz") and not d["path"]:
        raise InputError(where, f"key data.path: required for dataset {d['dataset']}")
    if d["dataset"] == "bars" and cfg["model"]["type"] == "mlp":
        pass  # an MLP on flattened images is fine
    if cfg["model"]["type"] == "cnn" and d["dataset"] not in ("bars", "npz"):
        raise InputError(where, "key model.type: cnn needs image data (dataset bars, or npz with x of shape N,C,H,W)")
    if d["folds"] > 1 and d["folds"] > d["n_train"]:
        raise InputError(where, "key data.folds: more folds than training examples")
    if len(cfg["training"]["betas"]) != 2:
        raise InputError(where, "key training.betas: must be two numbers [beta1, beta2]")
    if not all(0.0 <= b < 1.0 for b in cfg["training"]["betas"]):
        raise InputError(where, "key training.betas: each must be in [0, 1) (Adam divides by 1 - beta^t)")
    _check_size(cfg, where)


MAX_DATA_BYTES = 4 * 2 ** 30   # the generated data sets, float32, held in memory
MAX_PARAMS = 500_000_000       # the model's weights (a CPU trainer, not a cluster)


def _check_size(cfg: dict, where: str) -> None:
    """Refuse, before anything is allocated, a config whose data or model cannot fit: in-range
    values can still multiply to terabytes (n_train 1e7 x n_features 1e5)."""
    d, m = cfg["data"], cfg["model"]
    rows = d["n_train"] + d["n_val"] + d["n_test"]
    data = rows * d["n_features"] * 4
    if data > MAX_DATA_BYTES:
        raise InputError(where, f"keys data.n_train/n_val/n_test x n_features: {rows:,} x "
                                f"{d['n_features']:,} values need {data / 2 ** 30:.0f} GiB "
                                f"(at most {MAX_DATA_BYTES // 2 ** 30} GiB)")
    widths = [d["n_features"], *m["widths"], d["n_classes"]]
    params = sum(a * b for a, b in zip(widths, widths[1:]))
    if params > MAX_PARAMS:
        raise InputError(where, f"key model.widths: about {params:,} weights (at most {MAX_PARAMS:,})")


def load(path: str | Path) -> dict[str, Any]:
    """Read and validate a YAML config (yaml.safe_load: nothing in it is run as code)."""
    path = Path(path)
    doc = load_yaml(read_text(path, "YAML config"), path)
    cfg = validate(doc, str(path))
    if cfg["data"]["path"]:
        p = Path(cfg["data"]["path"])
        if not p.is_absolute():
            cfg["data"]["path"] = str((path.parent / p).resolve())
    return cfg


def get(cfg: dict, dotted: str) -> Any:
    sec, _, key = dotted.partition(".")
    if sec not in SCHEMA or key not in SCHEMA[sec]:
        raise KeyError(dotted)
    return cfg[sec][key]


def patch(cfg: dict, changes: dict[str, Any], where: str = "config patch") -> dict[str, Any]:
    """A new config with dotted-key `changes` applied ("*k" multiplies the current value),
    validated like a loaded config."""
    out = copy.deepcopy(cfg)
    for dotted, value in changes.items():
        sec, _, key = str(dotted).partition(".")
        spec = SCHEMA.get(sec, {}).get(key)
        if spec is None:
            if dotted == "seed":
                out["seed"] = _check("seed", value, "int", (0, 2**31 - 1), where)
                continue
            raise InputError(where, f"key {dotted}: unknown config key")
        cur = out[sec][key]
        if isinstance(value, str) and value.startswith("*"):
            try:
                k = float(value[1:])
            except ValueError:
                raise InputError(where, f"key {dotted}: bad multiplier {value!r}") from None
            if isinstance(cur, bool) or cur is None or not isinstance(cur, (int, float, list)):
                raise InputError(where, f"key {dotted}: cannot multiply {cur!r}")
            if isinstance(cur, list):
                value = [_mul(v, k) for v in cur]
            else:
                value = _mul(cur, k)
        out[sec][key] = _check(dotted, value, spec[1], spec[2], where)
    _cross_check(out, where)
    return out


def _mul(v: Any, k: float) -> Any:
    return max(1, int(round(v * k))) if isinstance(v, int) else v * k


def dump(cfg: dict) -> str:
    """The config as YAML (for `tune`'s best config); the empty tune section left out."""
    doc = {k: v for k, v in cfg.items() if not (k == "tune" or (k in ("name", "description") and not v))}
    return yaml.safe_dump(doc, sort_keys=False)


def describe_patch(changes: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in changes.items())
