"""Small terminal charts: sparklines and log-scale bars, plain text so they work anywhere."""
from __future__ import annotations

import math

import numpy as np

BLOCKS = "▁▂▃▄▅▆▇█"
MIN_REL_SPAN = 0.1  # a sparkline's height covers at least 10% of the values' magnitude
MIN_ORDERS_SPARK = 1.0  # ... one order of magnitude on a log scale
MIN_ORDERS_BARS = 4.0  # log bars span at least four orders: the gradient-flow chart's reference


def sparkline(values, width: int = 48, log: bool = False) -> str:
    """`values` resampled to `width` characters; NaN/Inf shown as '×'."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return ""
    if len(v) > width:
        edges = np.linspace(0, len(v), width + 1).astype(int)
        with np.errstate(all="ignore"):
            v = np.array([np.nan if not np.isfinite(v[a:b]).all() else np.mean(v[a:b])
                          for a, b in zip(edges[:-1], edges[1:])])
    if log:
        with np.errstate(all="ignore"):
            v = np.where(v > 0, np.log10(v), np.nan)
    fin = v[np.isfinite(v)]
    if not len(fin):
        return "×" * len(v)
    lo, hi = float(fin.min()), float(fin.max())
    span = hi - lo
    if span <= 1e-6 * max(abs(hi), abs(lo)):  # constant up to float rounding: a flat line
        lo, span = lo - 1.0, 2.0
    least = MIN_ORDERS_SPARK if log else MIN_REL_SPAN * max(abs(hi), abs(lo))
    if span < least:  # a 0.333-0.339 wobble is not a full-height swing: centred on a fixed span
        lo, span = (lo + hi) / 2 - least / 2, least
    return "".join("×" if not math.isfinite(x) else BLOCKS[int((x - lo) / span * (len(BLOCKS) - 1))]
                   for x in v)


def log_bars(items: list[tuple[str, float]], width: int = 30) -> list[tuple[str, str, float]]:
    """(label, bar, value) with bar length proportional to log10(value), on a scale that spans at
    least MIN_ORDERS_BARS orders below the largest value (so like values get like bars)."""
    vals = [v for _, v in items if v > 0 and math.isfinite(v)]
    if not vals:
        return [(name, "", v) for name, v in items]
    lo, hi = math.log10(min(vals)), math.log10(max(vals))
    lo = min(lo, hi - MIN_ORDERS_BARS)  # a fixed reference: 0.12 vs 0.22 is not 1 block vs 29
    span = hi - lo
    out = []
    for name, v in items:
        if v > 0 and math.isfinite(v):
            n = 1 + int(round((math.log10(v) - lo) / span * (width - 1)))
            out.append((name, "█" * n, v))
        else:
            out.append((name, "×" if not math.isfinite(v) else "·", v))
    return out
