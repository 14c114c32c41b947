"""Probe batches: run a loaded model forward and backward a few times under the recorder, so that
its gradient flow and activations are measured exactly as in a live run, without training it.

The optimiser is plain SGD with lr=0: its step() fires the global optimiser hooks that close a
recorded step, and the weights are restored afterwards in any case (BatchNorm statistics included).
"""
from __future__ import annotations

import csv
import importlib
import importlib.util
import sys
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from ..errors import InputError
from .checkpoint import WRAPPER_PREFIXES

X_KEYS = ("x", "X", "inputs", "input", "data", "features", "images", "samples")
Y_KEYS = ("y", "Y", "targets", "target", "labels", "label", "classes", "class")


# ------------------------------------------------------------------ the model's code
def import_factory(spec: str) -> Callable:
    """`path/to/file.py:make` or `package.module:make` -> the function (or class) `make`."""
    where, sep, attr = spec.rpartition(":")
    if not sep or not where or not attr:
        raise InputError("--model", f"expected module:factory (a .py file or module, then the function), got {spec!r}")
    path = Path(where)
    try:
        if where.endswith(".py") or path.is_file():
            if not path.is_file():
                raise InputError(where, "no such file (from --model)")
            name = f"traindx_user_model_{abs(hash(str(path.resolve())))}"
            module_spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(module_spec)
            sys.path.insert(0, str(path.resolve().parent))
            try:
                module_spec.loader.exec_module(module)
            finally:
                sys.path.remove(str(path.resolve().parent))
        else:
            if "" not in sys.path and str(Path.cwd()) not in sys.path:
                sys.path.insert(0, str(Path.cwd()))
            module = importlib.import_module(where)
    except InputError:
        raise
    except ModuleNotFoundError as exc:
        raise InputError(where, f"cannot import the model's module ({exc})") from None
    except Exception as exc:  # the user's module failed while importing
        raise InputError(where, f"importing it failed: {type(exc).__name__}: {exc}") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise InputError(where, f"has no function {attr!r} (from --model {spec})")
    return fn


def build_model(spec: str, state: dict[str, torch.Tensor], checkpoint: str) -> torch.nn.Module:
    """Call the factory and load the checkpoint's weights into the model, strictly."""
    try:
        model = import_factory(spec)()
    except InputError:
        raise
    except Exception as exc:
        raise InputError("--model", f"{spec}() failed: {type(exc).__name__}: {exc}") from None
    if not isinstance(model, torch.nn.Module):
        raise InputError("--model", f"{spec}() returned a {type(model).__name__}, not a torch.nn.Module")
    mine = model.state_dict()
    state = _fit_prefix(state, set(mine))
    missing = [k for k in mine if k not in state]
    unexpected = [k for k in state if k not in mine]
    wrong = [k for k in mine if k in state and tuple(mine[k].shape) != tuple(state[k].shape)]
    if missing or unexpected or wrong:
        parts = [f"{label} {', '.join(keys[:3])}{' ...' if len(keys) > 3 else ''}"
                 for label, keys in (("missing", missing), ("unexpected", unexpected),
                                     ("shape differs for", wrong)) if keys]
        raise InputError(checkpoint, f"does not fit the model from --model {spec}: {'; '.join(parts)}")
    model.load_state_dict(state, strict=True)
    return model


def _fit_prefix(state: dict[str, torch.Tensor], wanted: set[str]) -> dict[str, torch.Tensor]:
    """The checkpoint's tensors under a wrapper prefix ("model.", "module.") when only those fit
    the model (a Lightning module that also holds, say, a loss with weights)."""
    if wanted <= set(state):
        return state
    for prefix in WRAPPER_PREFIXES:
        inner = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        if inner and wanted <= set(inner):
            return inner
    return state


# ------------------------------------------------------------------ probe data
def parse_shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in text.replace("x", ",").split(",") if s.strip())
    except ValueError:
        shape = ()
    if not shape or any(s <= 0 for s in shape):
        raise InputError("--input-shape", f"expected positive sizes like 1,28,28 (one sample, no batch), got {text!r}")
    return shape


def _pick(arrays: dict, keys: tuple[str, ...], target: str | None = None):
    for k in ((target,) if target else keys):
        if k in arrays:
            return k
    return None


def _from_mapping(path: Path, arrays: dict, target: str | None):
    xk, yk = _pick(arrays, X_KEYS), _pick(arrays, Y_KEYS, target)
    if target and yk is None:
        raise InputError(path, f"has no {target!r} (keys: {', '.join(map(str, arrays))})")
    if xk is None:
        rest = [k for k in arrays if k != yk]
        if not rest:
            raise InputError(path, "holds no input array")
        xk = rest[0]
        if yk is None and len(rest) > 1:
            yk = rest[1]
    return arrays[xk], (arrays[yk] if yk is not None else None)


def _read_csv(path: Path, target: str | None):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    if not rows:
        raise InputError(path, "is empty")
    header = None
    try:
        [float(v) for v in rows[0]]
    except ValueError:
        header, rows = rows[0], rows[1:]
    try:
        data = np.array([[float(v) for v in r] for r in rows], dtype=np.float64)
    except ValueError as exc:
        raise InputError(path, f"holds a non-numeric value ({exc})") from None
    if data.ndim != 2 or not len(data):
        raise InputError(path, "holds no rows of numbers")
    names = header or [str(i) for i in range(data.shape[1])]
    col = _pick({n: i for i, n in enumerate(names)}, Y_KEYS, target)
    if target and col is None:
        raise InputError(path, f"has no column {target!r}")
    if col is None:
        return data, None
    i = names.index(col)
    return np.delete(data, i, axis=1), data[:, i]


def load_data(path: str | Path, target: str | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
    """Inputs and optional targets from an NPZ, CSV or .pt file (loaded with weights_only=True)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as z:
                x, y = _from_mapping(path, {k: z[k] for k in z.files}, target)
        elif suffix == ".npy":
            x, y = np.load(path, allow_pickle=False), None
        elif suffix in (".csv", ".txt"):
            x, y = _read_csv(path, target)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                obj = torch.load(path, map_location="cpu", weights_only=True)
            if isinstance(obj, torch.Tensor):
                x, y = obj, None
            elif isinstance(obj, (tuple, list)) and obj and isinstance(obj[0], torch.Tensor):
                x, y = obj[0], (obj[1] if len(obj) > 1 else None)
            elif isinstance(obj, dict):
                x, y = _from_mapping(path, obj, target)
            else:
                raise InputError(path, f"holds a {type(obj).__name__}; expected a tensor, (x, y) or a dict of tensors")
    except InputError:
        raise
    except Exception as exc:  # unreadable data is bad input, whatever the reader raised
        raise InputError(path, f"cannot read probe data ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from None
    x = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    if not x.dim() or not len(x):
        raise InputError(path, "holds no samples")
    x = x.float() if not x.is_floating_point() or x.dtype == torch.float64 else x
    if y is not None:
        y = torch.as_tensor(np.asarray(y) if not isinstance(y, torch.Tensor) else y)
        y = y.long() if not y.is_floating_point() or _integral(y) else y.float()
        if len(y) != len(x):
            raise InputError(path, f"has {len(x)} inputs but {len(y)} targets")
    return x, y


def _integral(y: torch.Tensor) -> bool:
    """Float labels that are whole numbers (CSV columns) are class indices."""
    return y.dim() == 1 and bool(torch.all(y == y.round())) and bool(torch.all(y >= 0))


# ------------------------------------------------------------------ probing
def _output(out):
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, dict):
        out = out.get("logits", next((v for v in out.values() if isinstance(v, torch.Tensor)), None))
    elif isinstance(out, (tuple, list)):
        out = next((v for v in out if isinstance(v, torch.Tensor)), None)
    if not isinstance(out, torch.Tensor) or not out.is_floating_point():
        raise InputError("--model", "the model's output is not a floating-point tensor; cannot probe it")
    return out


def _loss(out: torch.Tensor, y: torch.Tensor | None, gen: torch.Generator) -> torch.Tensor:
    """The loss a training would use: cross-entropy for class labels, MSE otherwise. Without
    targets, random labels (classification-shaped output) or random regression targets."""
    if y is None:
        if out.dim() >= 2 and out.shape[1] > 1:
            y = torch.randint(out.shape[1], (out.shape[0],) + tuple(out.shape[2:]), generator=gen)
        else:
            y = torch.randn(out.shape, generator=gen)
    if not y.is_floating_point() and out.dim() >= 2 and out.shape[1] > 1:
        return F.cross_entropy(out, y)
    y = y.float()
    if y.numel() == out.numel():
        y = y.reshape(out.shape)
    return F.mse_loss(out, y)


def run_probes(model: torch.nn.Module, out_dir: Path, *, x: torch.Tensor | None = None,
               y: torch.Tensor | None = None, shape: tuple[int, ...] | None = None,
               batches: int = 4, batch_size: int = 32, seed: int = 0, meta: dict | None = None) -> None:
    """`batches` forward/backward passes recorded into `out_dir`. The model's state is unchanged."""
    from ..record.recorder import Recorder

    gen = torch.Generator().manual_seed(seed)
    saved = {k: v.detach().clone() for k, v in model.state_dict().items()}
    was_training = model.training
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise InputError("--model", "the model has no trainable parameters to probe")
    opt = torch.optim.SGD(params, lr=0.0)
    rec = Recorder(out_dir, every=1, meta={"probe": True, **(meta or {})}, models=[model])
    rec.start()
    status = "completed"
    try:
        model.train()
        for i in range(batches):
            if x is not None:
                lo = (i * batch_size) % len(x)
                xb = x[lo:lo + batch_size]
                yb = y[lo:lo + batch_size] if y is not None else None
            else:
                xb, yb = torch.randn((batch_size,) + tuple(shape), generator=gen), None
            opt.zero_grad(set_to_none=True)
            loss = _loss(_output(model(xb)), yb, gen)
            loss.backward()
            opt.step()
    except InputError:
        status = "exception"
        raise
    except Exception as exc:  # the model rejected the probe input: bad --input-shape or --data
        status = "exception"
        raise InputError("--data" if x is not None else "--input-shape",
                         f"the model failed on the probe batch: {type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160]}") from None
    finally:
        rec.stop(status)
        with torch.no_grad():
            model.load_state_dict(saved)
        model.train(was_training)
