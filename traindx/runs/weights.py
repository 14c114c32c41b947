"""Weight statistics of a saved model, measured without running it: what `Run.weights` holds.

One entry per tensor, in the checkpoint's order (the input end first for most models):
  role        "matrix" (a Linear/Conv/RNN weight), "bias", "norm", "embedding", "vector", "buffer"
  shape, numel, module_type (when the model's code is known)
  norm, mean, std, absmax, nonfinite (count of NaN/Inf), all_zero, constant
For matrices also (rows = output units / filters):
  fan_in, fan_out, he_std = sqrt(2/fan_in), xavier_std = sqrt(2/(fan_in+fan_out)),
  he_ratio, xavier_ratio (std / expected std), init_ref ("He" | "Xavier": the nearer one) and
  init_ratio (std / that one), rows, dead_rows (rows that are all zero), dead_row_index (the
  first few), duplicate_rows (rows identical to another non-zero row), unique_rows,
  is_output (the last matrix), bias (its bias tensor's name) and `row_bias_z`: per row,
  bias / |row|, the pre-activation's mean in standard deviations for unit-scale inputs (a numpy
  array; left out of JSON).
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import torch

EMBEDDING_HINTS = ("emb", "wte", "wpe", "pos_enc", "position")
NORM_PART = re.compile(r".*norm.*|(bn|ln|gn)\d*(_\w+)?")
MAX_DUPLICATE_CHECK = 20_000_000  # elements; larger matrices skip the duplicate-row check


def _module_of(name: str) -> tuple[str, str]:
    module, _, leaf = name.rpartition(".")
    return module, leaf


def role(name: str, t: torch.Tensor, types: dict[str, str]) -> str:
    if not t.is_floating_point():
        return "buffer"
    module, leaf = _module_of(name)
    mtype = types.get(module, "")
    low = name.lower()
    if leaf.startswith("running_") or leaf == "num_batches_tracked":
        return "buffer"
    if "Embedding" in mtype or (not mtype and any(h in low for h in EMBEDDING_HINTS)):
        return "embedding"
    if "Norm" in mtype or (not mtype and any(NORM_PART.fullmatch(p) for p in low.split(".")[:-1])):
        return "norm"
    if t.dim() >= 2:
        return "matrix"
    if t.dim() == 1 and leaf.startswith("bias"):
        return "bias"
    return "vector" if t.dim() == 1 else "buffer"


def _basic(t: torch.Tensor) -> dict[str, Any]:
    x = t.detach().reshape(-1).double()
    finite = torch.isfinite(x)
    bad = int((~finite).sum())
    v = x[finite] if bad else x
    n = v.numel()
    std = float(v.std(unbiased=False)) if n > 1 else 0.0
    return {"norm": float(v.norm()) if n else math.nan, "mean": float(v.mean()) if n else math.nan,
            "std": std, "absmax": float(v.abs().max()) if n else math.nan, "nonfinite": bad,
            "all_zero": bool(n and not v.any()), "constant": bool(n > 1 and bool((v == v[0]).all()))}


def _matrix(t: torch.Tensor, std: float) -> dict[str, Any]:
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(t)
    he, xavier = math.sqrt(2.0 / fan_in), math.sqrt(2.0 / (fan_in + fan_out))
    he_ratio, xavier_ratio = std / he, std / xavier
    dist = {"He": abs(math.log(he_ratio)) if he_ratio > 0 else math.inf,
            "Xavier": abs(math.log(xavier_ratio)) if xavier_ratio > 0 else math.inf}
    ref = min(dist, key=dist.get)
    rows = t.detach().reshape(t.shape[0], -1).double()
    rows = torch.nan_to_num(rows, nan=0.0)
    zero = ~rows.any(dim=1)
    dead_idx = torch.nonzero(zero).reshape(-1)
    live = rows[~zero]
    dup = unique = None
    if 0 < live.numel() <= MAX_DUPLICATE_CHECK and len(live) > 1:
        dup, unique = _duplicates(live)
    return {"fan_in": int(fan_in), "fan_out": int(fan_out), "he_std": he, "xavier_std": xavier,
            "he_ratio": he_ratio, "xavier_ratio": xavier_ratio, "init_ref": ref,
            "init_ratio": he_ratio if ref == "He" else xavier_ratio,
            "rows": int(rows.shape[0]), "dead_rows": int(zero.sum()),
            "dead_row_index": [int(i) for i in dead_idx[:8]],
            "duplicate_rows": dup, "unique_rows": unique}


def _duplicates(rows: torch.Tensor) -> tuple[int, int]:
    """(rows equal to another row, distinct rows). Rows are grouped by a random projection, which
    identical rows share exactly, and each group is confirmed row by row: O(rows x cols)."""
    keys = rows @ torch.randn(rows.shape[1], generator=torch.Generator().manual_seed(0), dtype=rows.dtype)
    _, inverse, counts = torch.unique(keys, return_inverse=True, return_counts=True)
    if bool((counts == 1).all()):
        return 0, len(rows)
    dup, unique = 0, int((counts == 1).sum())
    for g in torch.nonzero(counts > 1).reshape(-1).tolist():
        members = rows[inverse == g]
        _, c = torch.unique(members, dim=0, return_counts=True)
        dup, unique = dup + int(c[c > 1].sum()), unique + len(c)
    return dup, unique


def _bias_z(w: torch.Tensor, b: torch.Tensor) -> np.ndarray:
    """bias / |row| per output unit: where the unit's pre-activation sits, in standard deviations,
    for inputs of unit scale."""
    rows = w.detach().reshape(w.shape[0], -1).double()
    with np.errstate(divide="ignore", invalid="ignore"):
        norms = rows.norm(dim=1).numpy()
        bias = b.detach().double().numpy()
        return np.where(norms > 0, bias / np.where(norms > 0, norms, 1.0),
                        np.where(bias < 0, -np.inf, np.where(bias > 0, np.inf, 0.0)))


def weight_stats(state: dict[str, torch.Tensor], types: dict[str, str] | None = None) -> dict[str, dict]:
    """Statistics for every tensor of a state dict (see the module docstring)."""
    types = types or {}
    out: dict[str, dict] = {}
    matrices = []
    for name, t in state.items():
        r = role(name, t, types)
        entry: dict[str, Any] = {"role": r, "shape": list(t.shape), "numel": int(t.numel()),
                                 "dtype": str(t.dtype).replace("torch.", "")}
        module, _ = _module_of(name)
        if types.get(module):
            entry["module_type"] = types[module]
        if r != "buffer" and t.numel():
            entry.update(_basic(t))
        if r == "matrix" and t.numel():
            entry.update(_matrix(t, entry["std"]))
            bias = state.get(f"{module}.bias" if module else "bias")
            if name.endswith("weight") and bias is not None and bias.is_floating_point() \
                    and bias.dim() == 1 and bias.shape[0] == t.shape[0]:
                entry["bias"] = f"{module}.bias" if module else "bias"
                entry["row_bias_z"] = _bias_z(t, bias)
            matrices.append(name)
        out[name] = entry
    for name in matrices:
        out[name]["is_output"] = name == matrices[-1]
    return out


def json_safe(weights: dict[str, dict]) -> dict[str, dict]:
    """The statistics without the per-row arrays (for the JSON document)."""
    return {name: {k: v for k, v in entry.items() if not isinstance(v, np.ndarray)}
            for name, entry in weights.items()}
