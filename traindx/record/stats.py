"""On-device statistics: batched tensor ops, no host transfer. Each function returns a tensor on
the input's device; the recorder stacks them and moves them to the host once per flush."""
from __future__ import annotations

import math

import torch

# grad_nonfinite / nonfinite are 1 when the tensor holds a NaN or Inf (0 otherwise)
PARAM_STATS = ("grad_norm", "grad_mean", "grad_std", "grad_maxabs", "grad_nonfinite", "weight_norm",
               "weight_std")
ACT_STATS = ("mean", "std", "zero_frac", "sat_frac", "dead_frac", "nonfinite", "absmax")

# Output types whose values are bounded: (low, high) and the margin that counts as "at the bound".
SATURATING = {"Sigmoid": (0.0, 1.0), "Tanh": (-1.0, 1.0), "Hardtanh": (-1.0, 1.0),
              "Hardsigmoid": (0.0, 1.0), "Softsign": (-1.0, 1.0)}
SAT_MARGIN = 0.02
# Output types whose exact zeros are meaningful (a unit switched off): zero_frac is measured for these
ZERO_KINDS = ("ReLU", "ReLU6", "Hardshrink", "Softshrink", "Threshold", "Dropout")


def _grouped(tensors: list[torch.Tensor]) -> dict[tuple, list[int]]:
    """Indices of tensors grouped by (device, dtype): the _foreach ops need one group each."""
    groups: dict[tuple, list[int]] = {}
    for i, t in enumerate(tensors):
        groups.setdefault((t.device, t.dtype), []).append(i)
    return groups


# Why the odd-looking formulas below: every statistic is a float reduction, because on CPU torch's
# boolean kernels (isfinite, ==, |) and count_nonzero run several times slower than a float sum,
# and on any device they are one more pass over the tensor. No function here reads a value on the
# host: the results stay on the tensors' device until the recorder's flush.


def nonzero_count(t: torch.Tensor) -> torch.Tensor:
    """How many elements are not 0 (a NaN element makes the result NaN)."""
    return t.sign().abs_().sum(dtype=torch.float32)


def param_stats(params: list[torch.Tensor], grads: list[torch.Tensor],
                weight_std: bool = True) -> torch.Tensor:
    """(len(params), len(PARAM_STATS)) float32 on the parameters' device.

    grad_std is the population std from the norm and the sum (sqrt(E[g^2] - E[g]^2)); when a
    gradient holds NaN/Inf, grad_nonfinite counts them and its other gradient stats are NaN/Inf."""
    out: list = [None] * len(params)
    for (device, _), idx in _grouped(grads).items():
        g = [grads[i].detach() for i in idx]
        w = [params[i].detach() for i in idx]
        norms = torch._foreach_norm(g)
        norm = torch.stack(norms).float()
        wnorm = torch.stack(torch._foreach_norm(w)).float()
        lows_highs = [torch.aminmax(x) for x in g]
        lows = torch.stack([lo for lo, _ in lows_highs])
        highs = torch.stack([h for _, h in lows_highs])
        maxabs = torch.maximum(highs, lows.neg()).float()
        # NaN propagates through min/max and an Inf is the min or the max: the extremes tell
        # whether a gradient holds a non-finite value, with no extra pass over it
        bad = (~(torch.isfinite(lows) & torch.isfinite(highs))).float()
        sums = [x.sum(dtype=torch.float32) for x in g]
        # sizes as Python numbers: a tensor of sizes would be a host->device copy on a GPU
        sizes = [float(x.numel()) for x in g]
        mean = torch.stack(torch._foreach_div(sums, sizes))
        rms = torch.stack(torch._foreach_div([x.float() for x in norms], [math.sqrt(n) for n in sizes]))
        std = torch.sqrt(torch.clamp(rms.square() - mean.square(), min=0.0))
        wstd = torch.stack([_std(x) for x in w]) if weight_std else torch.full_like(norm, float("nan"))
        rows = torch.stack([norm, mean, std, maxabs, bad, wnorm, wstd], dim=1)
        for j, i in enumerate(idx):
            out[i] = rows[j]
    if len(out) == 1 or all(r.device == out[0].device for r in out):
        return torch.stack(out)
    return torch.stack([r.to(out[0].device) for r in out])


def global_norm(tensors: list[torch.Tensor]) -> torch.Tensor | None:
    """The 2-norm of all `tensors` together (the global gradient norm), float32, on the first
    tensor's device: one fused _foreach_norm per (device, dtype) group. A NaN/Inf anywhere makes it
    NaN/Inf. Half-precision norms are taken in float32 (a float16 norm overflows at 65504)."""
    if not tensors:
        return None
    totals = []
    for (_, dtype), idx in _grouped(tensors).items():
        group = [tensors[i].detach() for i in idx]
        if dtype in (torch.float16, torch.bfloat16):
            try:
                norms = torch._foreach_norm(group, 2, dtype=torch.float32)
            except TypeError:  # older torch: no dtype argument
                norms = torch._foreach_norm([g.float() for g in group])
        else:
            norms = torch._foreach_norm(group)
        totals.append(torch.linalg.vector_norm(torch.stack(norms)).float())
    if len(totals) == 1:
        return totals[0]
    device = totals[0].device
    return torch.linalg.vector_norm(torch.stack([t.to(device) for t in totals]))


def _std(x: torch.Tensor) -> torch.Tensor:
    """Sample std, two-pass (exact for a constant tensor, which float32 sums of squares are not),
    float32. (float64 reductions would be exact in one pass but run ~6x slower on CPU.)"""
    x = x.float()
    return torch.linalg.vector_norm(x - x.mean()) / math.sqrt(max(x.numel() - 1, 1))


def update_norms(params: list[torch.Tensor], before: list[torch.Tensor]) -> torch.Tensor:
    """||w_after - w_before|| per parameter, float32, on the first parameter's device.
    `before` is consumed: it is overwritten in place with the differences."""
    out: list = [None] * len(params)
    for _, idx in _grouped(params).items():
        deltas = [before[i] for i in idx]
        torch._foreach_sub_(deltas, [params[i].detach() for i in idx])
        for j, norm in zip(idx, torch._foreach_norm(deltas)):
            out[j] = norm.float()
    if all(o.device == out[0].device for o in out):
        return torch.stack(out)
    return torch.stack([o.to(out[0].device) for o in out])


def activation_stats(y: torch.Tensor, kind: str) -> torch.Tensor:
    """(len(ACT_STATS),) float32 for one module output. Units are along dim 1 (features of a
    Linear, channels of a conv); a unit is dead when it is <= 0 for every sample in the batch.
    When the output holds NaN/Inf, `nonfinite` counts them and the other stats may be NaN/Inf."""
    y = y.detach()
    if y.dtype != torch.float32:
        y = y.float()
    n = y.numel()
    mean = y.mean()
    # two-pass std (sqrt of the mean squared deviation): as exact as Tensor.std, which on CPU
    # uses a Welford loop several times slower; float64 sums would be ~6x slower still
    std = torch.linalg.vector_norm(y - mean) / math.sqrt(max(n - 1, 1))
    # exact zeros only mean something after a ReLU-family activation; elsewhere a pass is saved
    zero_frac = torch.rsub(nonzero_count(y), float(n)).div_(n) if kind in ZERO_KINDS else _nan(y.device)
    bounds = SATURATING.get(kind)
    if bounds is not None:
        lo, hi = bounds
        half = (hi - lo) / 2 - SAT_MARGIN * (hi - lo)
        # |y - centre| < half is "inside"; 1 - inside/n is the fraction at either bound
        inside = torch.sub(half, (y - (lo + hi) / 2).abs_()).clamp_(min=0.0).sign_().sum()
        sat = torch.rsub(inside, float(n)).div_(n)
    else:
        sat = _nan(y.device)
    if y.dim() >= 2 and y.shape[0] > 1 and y.shape[1] > 0:
        unit_max = y.amax(dim=0) if y.dim() == 2 else y.amax(dim=[0, *range(2, y.dim())])
        dead = unit_max.le(0).sum(dtype=torch.float32) / unit_max.numel()
        top = unit_max.amax()
    else:
        dead = _nan(y.device)
        top = y.amax()
    bottom = y.amin()
    absmax = torch.maximum(top, bottom.neg())
    # NaN propagates through min/max and an Inf is an extreme: no extra pass for "holds NaN/Inf"
    nonfinite = (~(torch.isfinite(top) & torch.isfinite(bottom))).float()
    return torch.stack([mean, std, zero_frac, sat, dead, nonfinite, absmax])


_NAN: dict = {}


def _nan(device: torch.device) -> torch.Tensor:
    """A 0-d NaN on the device, made once (no copy from the host on later steps)."""
    t = _NAN.get(device)
    if t is None:
        t = _NAN[device] = torch.full((), float("nan"), device=device)
    return t


def input_stats(x: torch.Tensor) -> torch.Tensor:
    """Statistics of the model's input features: overall mean/std and how far the per-feature
    scales spread (max/min of per-feature std), on the device. (4,) float32. Non-finite values
    count as 0. Features are along dim 1 (columns of a table, channels of an image)."""
    xf = x.detach().float().nan_to_num(0.0, 0.0, 0.0)
    n = xf.numel()
    mean = xf.mean()
    std = torch.linalg.vector_norm(xf - mean) / math.sqrt(max(n - 1, 1)) if n > 1 else mean * 0.0
    if xf.dim() >= 2 and xf.shape[0] > 1 and xf.shape[1] > 0:
        dims = [0, *range(2, xf.dim())]
        m = n // xf.shape[1]
        # per-feature variance from sums over the batch (fast, contiguous reductions), taken
        # around the first sample so that a feature with a large offset keeps its precision
        d = xf - xf[(slice(0, 1), slice(None)) + (slice(0, 1),) * (xf.dim() - 2)]
        dmean = d.sum(dim=dims) / m
        fvar = ((d * d).sum(dim=dims) / m - dmean.square()).clamp_(min=0.0) * (m / max(m - 1, 1))
        fstd = fvar.sqrt_()
        # constant features (padding, blank pixels) carry no scale: leave them out of the spread
        spread = fstd.amax() / torch.where(fstd > 0, fstd, fstd.amax()).amin().clamp_min(1e-12)
        mean_offset = (xf.sum(dim=dims) / m).abs_().amax()
    else:
        spread = _nan(xf.device)
        mean_offset = mean.abs()
    return torch.stack([mean, std, spread, mean_offset])


INPUT_STATS = ("mean", "std", "feature_scale_spread", "max_feature_mean")
