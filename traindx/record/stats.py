"""On-device statistics: batched tensor ops, no host transfer. Each function returns a tensor on
the input's device; the recorder stacks them and moves them to the host once per flush."""
from __future__ import annotations

import math

import torch

from .kinds import COMPUTE, HARD_ZERO, RECURRENT

# grad_nonfinite / nonfinite are 1 when the tensor holds a NaN or Inf (0 otherwise)
PARAM_STATS = ("grad_norm", "grad_mean", "grad_std", "grad_maxabs", "grad_nonfinite", "weight_norm",
               "weight_std")
ACT_STATS = ("mean", "std", "zero_frac", "sat_frac", "dead_frac", "nonfinite", "absmax")

# Output types whose values are bounded: (low, high) and the margin that counts as "at the bound".
SATURATING = {"Sigmoid": (0.0, 1.0), "Tanh": (-1.0, 1.0), "Hardtanh": (-1.0, 1.0),
              "Hardsigmoid": (0.0, 1.0), "Softsign": (-1.0, 1.0),
              **{kind: (-1.0, 1.0) for kind in RECURRENT},  # tanh-bounded hidden states
              "tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}  # kinds.FUNCTIONAL
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
                full: bool = True) -> torch.Tensor:
    """(len(params), len(PARAM_STATS)) float32 on the parameters' device.

    Always (two fused passes): grad_norm, weight_norm, grad_nonfinite. With `full` (the dense
    start) also grad_mean, grad_std (the population std from the norm and the sum:
    sqrt(E[g^2] - E[g]^2)), grad_maxabs and weight_std (for the initialisation check), NaN
    otherwise: no detector reads them later, and they are three more passes over every tensor.
    grad_nonfinite is 1 when a gradient holds NaN/Inf (its other stats are then NaN/Inf)."""
    out: list = [None] * len(params)
    for (device, _), idx in _grouped(grads).items():
        g = [grads[i].detach() for i in idx]
        w = [params[i].detach() for i in idx]
        norms = torch._foreach_norm(g)
        norm = torch.stack(norms).float()
        wnorm = torch.stack(torch._foreach_norm(w)).float()
        nan = torch.full_like(norm, float("nan"))
        if full:
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
            wstd = torch.stack([_std(x) for x in w])
        else:
            # a NaN anywhere makes the norm NaN, an Inf makes it Inf (so does a finite gradient
            # whose norm overflows float32, > 3e38: no less broken)
            bad = (~torch.isfinite(norm)).float()
            mean = std = maxabs = wstd = nan
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


UPDATE_SAMPLE = 16384  # a tensor with more elements has its update norm estimated from a sample


def _stride(n: int) -> int:
    """Every k-th element of a tensor of n: about UPDATE_SAMPLE of them; odd, so that it does not
    alias with the power-of-two rows of a weight matrix (each row is sampled)."""
    return 1 if n <= UPDATE_SAMPLE else (n // UPDATE_SAMPLE) | 1


def weight_sample(params: list[torch.Tensor]) -> list[torch.Tensor]:
    """What `update_norms` compares after the step: a copy of the small tensors (one fused op), and
    of every k-th element of each large one (a copy of all the weights was the costliest part of a
    sampled step)."""
    out: list = [None] * len(params)
    small = [i for i, p in enumerate(params) if p.numel() <= UPDATE_SAMPLE]
    if small:
        for i, kept in zip(small, torch._foreach_mul([params[i].detach() for i in small], 1.0)):
            out[i] = kept
    for i, p in enumerate(params):
        if out[i] is None:
            out[i] = p.detach().reshape(-1)[::_stride(p.numel())].clone()
    return out


def update_norms(params: list[torch.Tensor], before: list[torch.Tensor]) -> torch.Tensor:
    """||w_after - w_before|| per parameter, float32, on the first parameter's device: exact for a
    tensor `before` holds whole, else estimated from the strided sample that `weight_sample` kept
    (scaled by sqrt(n / sample); within a few percent for the dense updates of adaptive optimisers
    and SGD, which is all an update/weight ratio judged on a log scale needs). `before` is
    consumed: it is overwritten in place with the differences."""
    out: list = [None] * len(params)
    for _, idx in _grouped(params).items():
        now = [params[i].detach() if before[i].numel() == params[i].numel()
               else params[i].detach().reshape(-1)[::_stride(params[i].numel())] for i in idx]
        deltas = [before[i].view_as(n) for i, n in zip(idx, now)]
        torch._foreach_sub_(deltas, now)
        for j, n, norm in zip(idx, now, torch._foreach_norm(deltas)):
            scale = math.sqrt(params[j].numel() / max(n.numel(), 1))
            out[j] = norm.float() * scale if scale != 1.0 else norm.float()
    if all(o.device == out[0].device for o in out):
        return torch.stack(out)
    return torch.stack([o.to(out[0].device) for o in out])


ACT_SAMPLE = 1 << 15  # an output with more elements has its moments and fractions taken on a sample
# units judged over the whole batch (dead_frac; and absmax, nonfinite exact): the ReLU outputs
# the dead-unit check reads, and the layers before them (it reads those when the script calls
# F.relu; the recorder passes whole=False for them when the model has ReLU modules); other
# outputs (pooling, dropout, norms, GELU, ...) take every statistic on the sample
WHOLE_BATCH = HARD_ZERO + COMPUTE


def whole_batch(kind: str, relu_modules: bool) -> bool:
    """Whether an output of this kind is judged over the whole batch: a ReLU's; a compute layer's
    only when the model has no ReLU modules (the dead-unit check then reads the layers before the
    script's F.relu)."""
    return kind in HARD_ZERO or (kind in COMPUTE and not relu_modules)


def batch_sample(y: torch.Tensor) -> torch.Tensor:
    """Every k-th sample (row) of a large batch output, keeping about ACT_SAMPLE elements and at
    least 4 rows; the whole output when it is small. Rows, not elements: the units of one sample
    move together, the samples of a batch are the independent draws."""
    n = y.numel()
    if n <= ACT_SAMPLE or y.dim() < 2 or y.shape[0] < 8:
        return y
    k = min(-(-n // ACT_SAMPLE), y.shape[0] // 4)
    return y[::k] if k > 1 else y


# what `activation_raw` keeps on the device for one output: the few reductions that need its
# elements; `finish_activation_stats` turns them into ACT_STATS at the flush, on the host, from the
# sizes the recorder keeps beside them (the scalar arithmetic in between was most of the kernels)
ACT_RAW = ("mean", "dev_norm", "nonzero", "inside", "dead_units", "top", "bottom")


def activation_raw(y: torch.Tensor, kind: str, whole: bool | None = None) -> tuple[torch.Tensor, tuple[int, int]]:
    """(len(ACT_RAW),) float32 on the output's device, and (sample size, unit count) as Python
    ints: what `finish_activation_stats` needs. Units are along dim 1 (features of a Linear,
    channels of a conv); a unit is dead when it is <= 0 for every sample in the batch.
    Over the whole batch for WHOLE_BATCH kinds (or as `whole` says): dead_units and the extremes
    (NaN dead_units elsewhere); the mean, the deviation norm, the non-zero and inside-the-bounds
    counts, and the rest for other kinds, are taken on `batch_sample` (exact for outputs up to
    ACT_SAMPLE elements; a sample of at least ~3e4 values beyond, far finer than the thresholds
    they are judged by). A NaN/Inf in the output shows in its extremes."""
    y = y.detach()
    if y.dtype != torch.float32:
        y = y.float()
    s = batch_sample(y)
    mean = s.mean()
    # two-pass deviation (the norm of y - mean): as exact as Tensor.std, which on CPU uses a
    # Welford loop several times slower; float64 sums would be ~6x slower still
    dev = torch.linalg.vector_norm(s - mean)
    # exact zeros only mean something after a ReLU-family activation; elsewhere a pass is saved
    if kind in HARD_ZERO:  # outputs >= 0: their count of non-zeros needs no abs()
        nonzero = s.sign().sum(dtype=torch.float32)
    elif kind in ZERO_KINDS:
        nonzero = nonzero_count(s)
    else:
        nonzero = _nan(y.device)
    bounds = SATURATING.get(kind)
    if bounds is not None:
        lo, hi = bounds
        half = (hi - lo) / 2 - SAT_MARGIN * (hi - lo)
        # |y - centre| < half is "inside" the bounds
        inside = torch.sub(half, (s - (lo + hi) / 2).abs_()).clamp_(min=0.0).sign_().sum()
    else:
        inside = _nan(y.device)
    whole = kind in WHOLE_BATCH if whole is None else whole
    units = 0
    if whole and y.dim() >= 2 and y.shape[0] > 1 and y.shape[1] > 0:
        unit_max = y.amax(dim=0) if y.dim() == 2 else y.amax(dim=[0, *range(2, y.dim())])
        dead = unit_max.le(0).sum(dtype=torch.float32)
        units = unit_max.numel()
        top = unit_max.amax()
    else:
        dead = _nan(y.device)
        top = (y if whole else s).amax()
    # a ReLU output is >= 0 (a NaN shows in its max): one full pass saved
    bottom = _zero(y.device) if kind in HARD_ZERO else (y if whole else s).amin()
    return torch.stack([mean, dev, nonzero, inside, dead, top, bottom]), (s.numel(), units)


def finish_activation_stats(raw: torch.Tensor, sizes: torch.Tensor) -> torch.Tensor:
    """ACT_STATS from `activation_raw`'s rows: raw (..., len(ACT_RAW)) and sizes (..., 2) of
    (sample size, unit count), float. Elementwise: run at the flush on every buffered row at once.
    std is the sample std (n - 1); nonfinite is 1 when an extreme is NaN/Inf (NaN propagates
    through min/max and an Inf is an extreme)."""
    mean, dev, nonzero, inside, dead, top, bottom = raw.unbind(-1)
    n, units = sizes.unbind(-1)
    std = dev / (n - 1).clamp(min=1).sqrt()
    zero_frac = (n - nonzero) / n
    sat = (n - inside) / n
    dead_frac = dead / torch.where(units > 0, units, torch.nan)
    nonfinite = (~(torch.isfinite(top) & torch.isfinite(bottom))).to(raw.dtype)
    absmax = torch.maximum(top, bottom.neg())
    return torch.stack([mean, std, zero_frac, sat, dead_frac, nonfinite, absmax], dim=-1)


def activation_stats(y: torch.Tensor, kind: str, whole: bool | None = None) -> torch.Tensor:
    """(len(ACT_STATS),) float32 for one module output, on its device (`activation_raw` finished
    at once: what the recorder stores, as it is read back)."""
    raw, sizes = activation_raw(y, kind, whole)
    return finish_activation_stats(raw, torch.tensor(sizes, dtype=torch.float32, device=raw.device))


_NAN: dict = {}
_ZERO: dict = {}


def _zero(device: torch.device) -> torch.Tensor:
    t = _ZERO.get(device)
    if t is None:
        t = _ZERO[device] = torch.zeros((), device=device)
    return t


def _nan(device: torch.device) -> torch.Tensor:
    """A 0-d NaN on the device, made once (no copy from the host on later steps)."""
    t = _NAN.get(device)
    if t is None:
        t = _NAN[device] = torch.full((), float("nan"), device=device)
    return t


def input_stats(x: torch.Tensor) -> torch.Tensor:
    """Statistics of the model's input features: overall mean/std and how far the per-feature
    scales spread (max/min of per-feature std), the largest per-feature mean, the shares of
    zeros and of whole numbers (counts, one-hot and bag-of-words codes are sparse whole numbers),
    and the largest |value| (inputs scaled into [0, 1] or [-1, 1] stay within 1), on the device.
    (7,) float32. Non-finite values count as 0. Features are along dim 1 (columns
    of a table, channels of an image)."""
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
    zeros = torch.rsub(nonzero_count(xf), float(n)).div_(max(n, 1))
    whole = torch.rsub(nonzero_count(xf - xf.round()), float(n)).div_(max(n, 1))
    return torch.stack([mean, std, spread, mean_offset, zeros, whole, xf.abs().amax() if n else mean])


INPUT_STATS = ("mean", "std", "feature_scale_spread", "max_feature_mean", "zero_frac", "integer_frac",
               "max_abs")
