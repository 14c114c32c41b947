"""Loading a saved model safely: a state_dict, a full pickled model, a Lightning or plain training
checkpoint, or a TorchScript file.

Safe by default: `torch.load(weights_only=True)` only rebuilds tensors and plain containers, so a
file that holds Python objects (a pickled `nn.Module`, or a malicious `__reduce__`) is refused
before any of its code runs. `unsafe=True` (the CLI's `--unsafe-load`) unpickles everything, which
runs code from the file: only for files the user trusts. TorchScript archives are loaded with
`torch.jit.load`, which rebuilds TorchScript code, not Python objects.
"""
from __future__ import annotations

import pickle
import re
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from ..errors import InputError
from ..safe_io import regular_file

# keys under which training checkpoints keep the model's weights, most specific first
MODEL_KEYS = ("state_dict", "model_state_dict", "model_state", "model", "net", "network",
              "module", "ema", "weights", "params")
# prefixes that wrappers add to every key (Lightning's `self.model`, DataParallel, torch.compile)
WRAPPER_PREFIXES = ("model.", "module.", "_orig_mod.", "net.", "network.")
UNSAFE_WARNING = ("traindx: warning: --unsafe-load unpickles {path} in full; this runs any code the "
                  "file contains. Use it only for files you trust.")


@dataclass
class Checkpoint:
    """A loaded checkpoint: its tensors by name, and the module when the file holds one."""

    path: str
    kind: str  # "state_dict" | "full model" | "lightning checkpoint" | "training checkpoint" | "torchscript"
    state: dict[str, torch.Tensor]  # parameter and buffer tensors, wrapper prefixes stripped
    module: torch.nn.Module | None = None  # a full model or a TorchScript module
    info: dict[str, Any] = field(default_factory=dict)  # epoch, global_step, the key used, ...


def is_torchscript(path: Path) -> bool:
    """TorchScript archives are zip files with a `code/` folder and `constants.pkl`."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    return any(n.endswith("/constants.pkl") or n == "constants.pkl" for n in names) and \
        any("/code/" in n or n.startswith("code/") for n in names)


def _looks_like_torch(path: Path) -> bool:
    """torch.save writes a zip archive (or, in the legacy format, a pickle: PROTO opcode 0x80)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror})") from None
    return head.startswith(b"PK") or head[:1] == b"\x80"


def _refusal(path: Path, exc: Exception) -> InputError:
    found = re.search(r"GLOBAL ([\w.]+)", str(exc))
    what = f" (it holds the Python object {found.group(1)})" if found else ""
    return InputError(path, f"needs full unpickling{what}, which can run code from the file; refused. "
                            f"Pass --unsafe-load only if you trust this file")


def _torch_load(path: Path, unsafe: bool) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.load(path, map_location="cpu", weights_only=not unsafe)
    except pickle.UnpicklingError as exc:
        if not unsafe and "weights only load failed" in str(exc).lower():
            raise _refusal(path, exc) from None
        raise InputError(path, f"not a PyTorch checkpoint ({_first_line(exc)})") from None
    except (RuntimeError, EOFError, ValueError, OSError, AttributeError, ModuleNotFoundError,
            ImportError, TypeError) as exc:
        if isinstance(exc, OSError) and exc.strerror:
            raise InputError(path, f"cannot read ({exc.strerror})") from None
        if isinstance(exc, (ModuleNotFoundError, AttributeError, ImportError)):
            raise InputError(path, f"the pickled model's class cannot be imported ({_first_line(exc)}); "
                                   "run from the project that defines it") from None
        raise InputError(path, f"not a PyTorch checkpoint ({_first_line(exc)})") from None
    except Exception as exc:  # torch's unpickler on damaged bytes can raise anything (IndexError...)
        raise InputError(path, f"not a PyTorch checkpoint ({type(exc).__name__}: {_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def _tensors(d: dict) -> dict[str, torch.Tensor]:
    return {str(k): v for k, v in d.items() if isinstance(v, torch.Tensor)}


def strip_prefix(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Remove a wrapper prefix shared by every key ("model.", "module.", ...), repeatedly."""
    while state:
        prefix = next((p for p in WRAPPER_PREFIXES if all(k.startswith(p) for k in state)), None)
        if prefix is None:
            return state
        state = {k[len(prefix):]: v for k, v in state.items()}
    return state


def _is_state_dict(obj: Any) -> bool:
    return isinstance(obj, dict) and bool(obj) and \
        sum(isinstance(v, torch.Tensor) for v in obj.values()) >= max(1, len(obj) // 2)


def _from_object(path: Path, obj: Any) -> Checkpoint:
    if isinstance(obj, torch.nn.Module):
        return Checkpoint(str(path), "full model", strip_prefix(_tensors(obj.state_dict())), obj)
    if not isinstance(obj, dict):
        raise InputError(path, f"holds a {type(obj).__name__}, not model weights (expected a state_dict, "
                               "a model or a training checkpoint)")
    lightning = "pytorch-lightning_version" in obj or "lightning_version" in obj
    for key in MODEL_KEYS:
        inner = obj.get(key)
        if isinstance(inner, torch.nn.Module):
            ck = _from_object(path, inner)
        elif _is_state_dict(inner):
            ck = Checkpoint(str(path), "", strip_prefix(_tensors(inner)))
        else:
            continue
        ck.kind = "lightning checkpoint" if lightning else "training checkpoint"
        ck.info = {"key": key, **{k: obj[k] for k in ("epoch", "global_step", "step", "iteration")
                                   if isinstance(obj.get(k), (int, float))}}
        return ck
    if _is_state_dict(obj):
        return Checkpoint(str(path), "state_dict", strip_prefix(_tensors(obj)))
    keys = ", ".join(map(str, list(obj)[:8]))
    raise InputError(path, f"holds no model weights (a dict with keys {keys}; expected tensors or one "
                           f"of the keys {', '.join(MODEL_KEYS[:4])})")


def load_checkpoint(path: str | Path, *, unsafe: bool = False) -> Checkpoint:
    """Load `path` without running code from it (unless `unsafe`). Raises InputError."""
    path = Path(path)
    regular_file(path, "checkpoint file")  # a device or a pipe would be read forever
    if is_torchscript(path):
        try:
            module = torch.jit.load(str(path), map_location="cpu")
        except Exception as exc:  # a corrupt archive: any error is bad input
            raise InputError(path, f"not a loadable TorchScript file ({_first_line(exc)})") from None
        return Checkpoint(str(path), "torchscript", _tensors(module.state_dict()), module)
    if not _looks_like_torch(path):
        raise InputError(path, "not a PyTorch checkpoint (neither a zip archive nor a pickle)")
    if unsafe:
        print(UNSAFE_WARNING.format(path=path), file=sys.stderr)
    return _from_object(path, _torch_load(path, unsafe))


def module_types(module: torch.nn.Module | None) -> dict[str, str]:
    """Module name -> type name ("fc1" -> "Linear"); TorchScript modules keep their original name."""
    if module is None:
        return {}
    return {name: getattr(m, "original_name", None) or type(m).__name__
            for name, m in module.named_modules()}
