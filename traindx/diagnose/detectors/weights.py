"""Detectors on a saved model's weights (`Run.weights`, filled by `traindx inspect`):
weights_init (poor_initialization), weights_dead_units (dead_units), weights_non_finite (non_finite).

They need no training: a checkpoint's tensors are enough. Runs without weight statistics (every
logged or live run) give no finding and no "skipped" note, since the weights are not expected there.
"""
from __future__ import annotations

import math

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import fmt
from ...record.kinds import RELU_LIKE


def _weights(run: Run) -> dict[str, dict]:
    return getattr(run, "weights", None) or {}


def _matrices(run: Run) -> list[tuple[str, dict]]:
    return [(n, e) for n, e in _weights(run).items() if e.get("role") == "matrix" and e.get("numel")]


SOURCE = "checkpoint weights"  # evidence["source"] of every finding here


def _shape(e: dict) -> str:
    return "x".join(map(str, e["shape"]))


def _worst(severities: list[Severity]) -> Severity:
    return max(severities, key=lambda s: s.rank)


@detector("weights_init", problems=("poor_initialization",))
def weights_init(run: Run, p: dict) -> list[Finding]:
    """What it detects: weight matrices that are all zero or constant, whose rows (units) are copies
    of each other, or whose scale is more than `scale_orders` orders of magnitude from both the He
    (sqrt(2/fan_in)) and the Xavier (sqrt(2/(fan_in+fan_out))) expectation.
    Why it matters: identical units get identical updates and never become different (symmetry);
    a scale far off makes the signal shrink or blow up layer by layer."""
    findings = []
    mats = [(n, e) for n, e in _matrices(run) if not e.get("nonfinite")]
    flat = [(n, e) for n, e in mats if e.get("all_zero") or e.get("constant")]
    if flat:
        sev = _worst([Severity.WARNING if e.get("is_output") else Severity.ERROR for _, e in flat])
        parts = [f"{n} ({'all zero' if e['all_zero'] else 'constant ' + fmt(e['mean'])}, {_shape(e)})"
                 for n, e in flat]
        findings.append(Finding(
            "poor_initialization", sev,
            summary=f"{len(flat)} of {len(mats)} weight matrices are all zero or constant: "
                    f"{', '.join(parts[:4])}{' ...' if len(parts) > 4 else ''}; every unit in them "
                    "computes the same function",
            evidence={"source": SOURCE, "constant_tensors": {n: {"all_zero": e["all_zero"], "value": e["mean"],
                                               "shape": e["shape"]} for n, e in flat}},
            params=p, layers=[n for n, _ in flat]))
    rest = [(n, e) for n, e in mats if not (e.get("all_zero") or e.get("constant"))]
    dup = {}
    for n, e in rest:
        rows, d = e.get("rows", 0), e.get("duplicate_rows")
        if rows > 1 and d and d / rows >= p["duplicate_frac"]:
            dup[n] = {"duplicate_rows": d, "rows": rows, "unique_rows": e.get("unique_rows"),
                      "fraction": d / rows}
    if dup:
        all_same = [n for n, v in dup.items() if v["unique_rows"] == 1 and v["duplicate_rows"] == v["rows"]]
        first = next(iter(dup))
        findings.append(Finding(
            "poor_initialization", Severity.ERROR if all_same else Severity.WARNING,
            summary=f"symmetric weights: {dup[first]['duplicate_rows']} of {dup[first]['rows']} rows of "
                    f"{first} ({dup[first]['fraction']:.0%}) are copies of another row"
                    + (f", and {len(dup) - 1} more layer(s)" if len(dup) > 1 else "")
                    + "; identical units get identical updates and stay identical",
            evidence={"source": SOURCE, "duplicated_rows": dup, "all_rows_identical": all_same},
            params=p, layers=list(dup)))
    off = {}
    for n, e in rest:
        r = e.get("init_ratio", math.nan)
        if r > 0 and math.isfinite(r) and abs(math.log10(r)) >= p["scale_orders"]:
            off[n] = {"std": e["std"], "fan_in": e["fan_in"], "he_std": e["he_std"],
                      "xavier_std": e["xavier_std"], "he_ratio": e["he_ratio"],
                      "xavier_ratio": e["xavier_ratio"], "orders": abs(math.log10(r))}
    if off:
        worst = max(off, key=lambda n: off[n]["orders"])
        w = off[worst]
        sev = Severity.ERROR if w["orders"] >= p["scale_error_orders"] else Severity.WARNING
        direction = "below" if w["he_ratio"] < 1 else "above"
        findings.append(Finding(
            "poor_initialization", sev,
            summary=f"weight scale far from He/Xavier in {len(off)} of {len(mats)} weight matrices: "
                    f"{worst} has std {fmt(w['std'])}, {fmt(w['he_ratio'])}x the He std "
                    f"{fmt(w['he_std'])} and {fmt(w['xavier_ratio'])}x the Xavier std "
                    f"{fmt(w['xavier_std'])} for fan-in {w['fan_in']} ({w['orders']:.1f} orders "
                    f"of magnitude {direction})",
            evidence={"source": SOURCE, "off_scale": off}, params=p,
            layers=sorted(off, key=lambda n: -off[n]["orders"])))
    return findings


def _relu_net(run: Run) -> bool:
    """False only when the model's code is known and it has no ReLU-family activation."""
    acts = run.meta.get("checkpoint", {}).get("activation_types")
    return acts is None or not acts or any(a in RELU_LIKE for a in acts)


@detector("weights_dead_units", problems=("dead_units",))
def weights_dead_units(run: Run, p: dict) -> list[Finding]:
    """What it detects: units (rows of a weight matrix, conv filters) whose incoming weights are all
    zero, and, in ReLU networks, units whose bias is so negative (below -`bias_z` times the row's
    norm) that they cannot fire for inputs of unit scale. Why it matters: a dead ReLU unit outputs
    zero and gets no gradient, so it never comes back; it is capacity the model pays for and
    does not use."""
    relu = _relu_net(run)
    per_layer = {}
    for n, e in _matrices(run):
        if e.get("all_zero") or e.get("constant") or not e.get("rows"):
            continue  # a wholly constant matrix is reported by weights_init
        zero = e.get("dead_rows", 0)
        z = e.get("row_bias_z")
        never = 0
        dead = zero
        if relu and z is not None and not e.get("is_output"):
            z = np.asarray(z, dtype=np.float64)
            # -inf marks an all-zero row with a negative bias: already counted in `zero`
            never = int(((z < -p["bias_z"]) & np.isfinite(z)).sum())
            dead = zero + never
        if dead:
            per_layer[n] = {"dead_units": dead, "units": e["rows"], "fraction": dead / e["rows"],
                            "zero_rows": zero, "bias_never_fires": never}
    if not per_layer:
        return []
    worst = max(per_layer, key=lambda n: per_layer[n]["fraction"])
    w = per_layer[worst]
    frac = w["fraction"]
    sev = Severity.ERROR if frac >= p["error_frac"] else (
        Severity.WARNING if frac >= p["dead_frac"] else Severity.INFO)
    how = []
    if w["zero_rows"]:
        how.append(f"{w['zero_rows']} with all-zero weights")
    if w["bias_never_fires"]:
        how.append(f"{w['bias_never_fires']} with a bias below -{fmt(p['bias_z'])}x the weight norm, "
                   "so they cannot fire")
    more = f"; {len(per_layer) - 1} more layer(s) have dead units" if len(per_layer) > 1 else ""
    return [Finding(
        "dead_units", sev,
        summary=f"{w['dead_units']} of {w['units']} units ({frac:.0%}) of {worst} are dead "
                f"({', '.join(how)}){more}",
        evidence={"source": SOURCE, "per_layer": per_layer, "worst_layer": worst, "worst_fraction": frac}, params=p,
        layers=sorted(per_layer, key=lambda n: -per_layer[n]["fraction"]))]


@detector("weights_non_finite", problems=("non_finite",))
def weights_non_finite(run: Run, p: dict) -> list[Finding]:
    """What it detects: NaN or Inf values in any tensor of the checkpoint.
    Why it matters: a single NaN weight turns every output it touches into NaN; the checkpoint
    was saved after training diverged."""
    bad = {n: {"non_finite": e["nonfinite"], "numel": e["numel"]}
           for n, e in _weights(run).items() if e.get("nonfinite")}
    if not bad:
        return []
    first = next(iter(bad))
    return [Finding(
        "non_finite", Severity.ERROR,
        summary=f"{len(bad)} tensor(s) hold NaN/Inf values, first {first} "
                f"({bad[first]['non_finite']} of {bad[first]['numel']} values)",
        evidence={"source": SOURCE, "non_finite_tensors": bad, "first_tensor": first}, params=p, layers=list(bad))]
