"""On-device statistics: batched tensor ops, no host transfer. Each function returns a tensor on
the input's device; the recorder stacks them and moves them to the host once per flush."""
from __future__ import annotations

import torch

PARAM_STATS = ("grad_norm", "grad_mean", "grad_std", "grad_maxabs", "grad_nonfinite", "weight_norm")
ACT_STATS = ("mean", "std", "zero_frac", "sat_frac", "dead_frac", "nonfinite", "absmax")

# Output types whose values are bounded: (low, high) and the margin that counts as "at the bound".
SATURATING = {"Sigmoid": (0.0, 1.0), "Tanh": (-1.0, 1.0), "Hardtanh": (-1.0, 1.0),
              "Hardsigmoid": (0.0, 1.0), "Softsign": (-1.0, 1.0)}
SAT_MARGIN = 0.02


def _grouped(tensors: list[torch.Tensor]) -> dict[tuple, list[int]]:
    """Indices of tensors grouped by (device, dtype): the _foreach ops need one group each."""
    groups: dict[tuple, list[int]] = {}
    for i, t in enumerate(tensors):
        groups.setdefault((t.device, t.dtype), []).append(i)
    return groups


_SIZES: dict[tuple, torch.Tensor] = {}


def _sizes(numels: tuple, device: torch.device) -> torch.Tensor:
    """Tensor sizes on the device, cached: a fresh host->device copy each step would be a sync."""
    key = (numels, str(device))
    if key not in _SIZES:
        _SIZES[key] = torch.tensor(numels, device=device)
    return _SIZES[key]


def param_stats(params: list[torch.Tensor], grads: list[torch.Tensor]) -> torch.Tensor:
    """(len(params), len(PARAM_STATS)) float32 on the parameters' device."""
    out = [None] * len(params)
    for (device, _), idx in _grouped(grads).items():
        g = [grads[i].detach() for i in idx]
        w = [params[i].detach() for i in idx]
        norms = torch._foreach_norm(g)
        maxabs = torch._foreach_norm(g, float("inf"))
        wnorms = torch._foreach_norm(w)
        flat = torch.cat([x.reshape(-1) for x in g]).float()
        sizes = _sizes(tuple(x.numel() for x in g), device)
        lengths = sizes
        sums = torch.segment_reduce(torch.nan_to_num(flat, 0.0, 0.0, 0.0), "sum", lengths=lengths)
        bad = torch.segment_reduce((~torch.isfinite(flat)).float(), "sum", lengths=lengths)
        n = sizes.float()
        norm = torch.stack(norms).float()
        mean = sums / n
        std = torch.sqrt(torch.clamp(norm.square() / n - mean.square(), min=0.0))
        rows = torch.stack([norm, mean, std, torch.stack(maxabs).float(), bad,
                            torch.stack(wnorms).float()], dim=1)
        for j, i in enumerate(idx):
            out[i] = rows[j]
    return torch.stack([r.to(out[0].device) for r in out])


def update_norms(params: list[torch.Tensor], before: list[torch.Tensor]) -> torch.Tensor:
    """||w_after - w_before|| per parameter, float32, on the first parameter's device."""
    out = [None] * len(params)
    for _, idx in _grouped(params).items():
        deltas = torch._foreach_sub([params[i].detach() for i in idx], [before[i] for i in idx])
        for j, norm in zip(idx, torch._foreach_norm(deltas)):
            out[j] = norm.float()
    return torch.stack([o.to(out[0].device) for o in out])


def activation_stats(y: torch.Tensor, kind: str) -> torch.Tensor:
    """(len(ACT_STATS),) float32 for one module output. Units are along dim 1 (features of a
    Linear, channels of a conv); a unit is dead when it is <= 0 for every sample in the batch."""
    y = y.detach()
    yf = y.float()
    finite = torch.isfinite(yf)
    nonfinite = (~finite).sum().float()
    yc = torch.where(finite, yf, torch.zeros((), device=y.device))
    mean = yc.mean()
    std = yc.std() if yc.numel() > 1 else torch.zeros((), device=y.device)
    zero_frac = (yc == 0).float().mean()
    bounds = SATURATING.get(kind)
    if bounds is not None:
        lo, hi = bounds
        margin = SAT_MARGIN * (hi - lo)
        sat = ((yc <= lo + margin) | (yc >= hi - margin)).float().mean()
    else:
        sat = torch.full((), float("nan"), device=y.device)
    if yc.dim() >= 2 and yc.shape[0] > 1:
        units = yc.transpose(0, 1).reshape(yc.shape[1], -1)
        dead = (units.amax(dim=1) <= 0).float().mean()
    else:
        dead = torch.full((), float("nan"), device=y.device)
    return torch.stack([mean, std, zero_frac, sat, dead, nonfinite, yc.abs().max()])


def input_stats(x: torch.Tensor) -> torch.Tensor:
    """Statistics of the model's input features: overall mean/std and how far the per-feature
    scales spread (max/min of per-feature std), on the device. (4,) float32."""
    xf = x.detach().float()
    xf = torch.where(torch.isfinite(xf), xf, torch.zeros((), device=x.device))
    if xf.dim() >= 2 and xf.shape[0] > 1:
        feats = xf.transpose(0, 1).reshape(xf.shape[1], -1)
        fstd = feats.std(dim=1)
        fmean = feats.mean(dim=1).abs()
        spread = fstd.max() / fstd.clamp_min(1e-12).min()
        mean_offset = fmean.max()
    else:
        spread = torch.full((), float("nan"), device=x.device)
        mean_offset = xf.mean().abs()
    return torch.stack([xf.mean(), xf.std() if xf.numel() > 1 else xf.new_zeros(()), spread,
                        mean_offset])


INPUT_STATS = ("mean", "std", "feature_scale_spread", "max_feature_mean")
