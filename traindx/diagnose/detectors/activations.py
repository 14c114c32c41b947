"""dead_units and saturated_activations: what the activation functions pass on."""
from __future__ import annotations

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import late_median, learned_well, measured_rows, squashed_loss_input, weight_layers
from ...record.kinds import ACTIVATIONS, COMPUTE, FUNCTIONAL, HARD_ZERO, RECURRENT, SATURATING


def _columns(run: Run, kinds: tuple[str, ...]) -> list[int]:
    table = run.activations
    return [i for i, name in enumerate(table.layers) if table.kinds.get(name, "") in kinds]


def _functional_relu_columns(run: Run) -> list[int]:
    """Runs recorded before F.relu calls were measured: when the model has no activation modules
    (it calls F.relu & co. in forward), the hidden Linear/Conv outputs are the pre-activations: a
    unit <= 0 for the whole batch is a dead ReLU unit (and an unused one for any other
    activation). The last compute layer is the output."""
    table = run.activations
    if set(table.kinds.values()) & set(ACTIVATIONS) or run.meta.get("functional_relu"):
        return []  # (a recorder that watches F.relu measured its outputs: no relu column, no ReLU)
    # a layer whose output went into a tanh/sigmoid called as a function is not a ReLU's input
    bounded = {name.rpartition(".")[0] for name, kind in table.kinds.items() if kind in FUNCTIONAL}
    return [c for c in _columns(run, COMPUTE)[:-1] if table.layers[c] not in bounded]


def _finite_rows(run: Run, cols: list[int]) -> np.ndarray:
    """Rows where dead_frac was measured and no activation was NaN/Inf: after a NaN every unit
    reads as "<= 0", which is not a dead ReLU."""
    table = run.activations
    rows = measured_rows(table, "dead_frac", cols)
    bad = table.get("nonfinite")
    if bad is not None:
        rows = rows[~(np.nan_to_num(bad[rows], nan=0.0) > 0).any(axis=1)]
    return rows


def _when_dead(run: Run, col: int, threshold: float, rows: np.ndarray) -> dict:
    """The first sampled step where the layer was dead, and whether a big update came just before."""
    table = run.activations
    dead = table.get("dead_frac")[rows, col]
    hit = np.where(dead >= threshold)[0]
    if not len(hit):
        return {}
    i = int(hit[0])
    step = int(table.steps[rows[i]])
    info = {"first_dead_step": step, "at_init": step <= 1}
    ur = run.params.get("update_ratio") if run.params is not None else None
    # the weight matrices' updates: a bias that starts at zero moves by "its own norm" on any step
    cols = weight_layers(run, run.params) if ur is not None else []
    if not info["at_init"] and cols:
        ur = ur[:, cols]
        prev = int(table.steps[rows[i - 1]]) if i else 0
        mask = (run.params.steps > prev - 1) & (run.params.steps < step)
        if mask.any():
            with np.errstate(all="ignore"):
                per_step = np.nanmax(np.where(np.isfinite(ur[mask]), ur[mask], np.nan), axis=1)
            if np.isfinite(per_step).any():
                i = int(np.nanargmax(per_step))
                info["largest_update_ratio_before"] = float(per_step[i])
                info["largest_update_step"] = int(run.params.steps[mask][i])
    return info


def _hand_made_hidden(run: Run) -> set[str]:
    """Activations of a model made of raw tensors (`param0[16, 64].tanh`: the tanh right after
    the product with that weight) that are hidden: their weight is not the model's last."""
    table, params = run.activations, run.params
    if params is None:
        return set()
    weights = [params.layers[c] for c in weight_layers(run, params)]
    return {name for name in table.layers
            if name.rpartition(".")[0] in weights[:-1] and name.rpartition(".")[2] in FUNCTIONAL + ("relu",)}


def _fed_by(run: Run, col: int) -> str:
    """The compute layer whose outputs a ReLU module receives: the one recorded just before it
    (modules are recorded in the order they run); the ReLU's own name when there is none."""
    table = run.activations
    before = [c for c in range(col) if table.kinds.get(table.layers[c], "") in COMPUTE]
    return table.layers[before[-1]] if before else table.layers[col]


def dead_layers(run: Run, p: dict) -> dict | None:
    """The ReLU layers with `dead_frac` of their units dead late in the run (dead_units' thresholds
    `p`), the worst of them, and when it died: the evidence of a dead_units finding, or None."""
    table = run.activations
    cols = _columns(run, HARD_ZERO)
    functional = not cols
    if functional:
        cols = _functional_relu_columns(run)
    rows = _finite_rows(run, cols) if cols else np.zeros(0, dtype=int)
    if not len(rows):
        return None
    late = late_median(table, "dead_frac", p["late_frac"], rows=rows)
    dead = [(c, float(late[c])) for c in cols if np.isfinite(late[c]) and late[c] >= p["dead_frac"]]
    if not dead:
        return None
    worst_col, worst = max(dead, key=lambda cf: cf[1])
    name = table.layers[worst_col]
    evidence = {"dead_fraction": {table.layers[c]: f for c, f in dead}, "worst_layer": name,
                "worst_dead_fraction": worst, "relu_layers": len(cols),
                **_when_dead(run, worst_col, p["dead_frac"], rows)}
    if functional:
        evidence["measured_on"] = "pre-activations (the model applies its activation functionally)"
    evidence["fed_by"] = name if functional else _fed_by(run, worst_col)
    return evidence


@detector("dead_units", needs=("activations",))
def dead_units(run: Run, p: dict) -> list[Finding]:
    """What it detects: ReLU layers where at least `dead_frac` of the units are <= 0 for every
    input in the batch (median over the last `late_frac` of sampled steps); says when it happened:
    at initialisation, or after a step with an update/weight ratio above `big_update`; or ReLU
    layers that output zero for `silent_frac` of all their activations (nearly dead as a whole).
    Below `error_frac`, a note (info) when the model learned its task anyway (`learned_share`).
    Why it matters: a dead ReLU unit gets zero gradient and never recovers; the layer's capacity
    is gone."""
    table = run.activations
    evidence = dead_layers(run, p)
    if evidence is None:
        cols = _columns(run, HARD_ZERO)
        rows = _finite_rows(run, cols) if cols else np.zeros(0, dtype=int)
        return _nearly_silent(run, cols, rows, p) if len(rows) else []
    name, worst, when = evidence["worst_layer"], evidence["worst_dead_fraction"], evidence
    functional = "measured_on" in evidence  # pre-activations: the model calls F.relu
    dead = list(evidence["dead_fraction"].items())
    if when.get("at_init"):
        how = "already at initialisation (step 1)"
    elif when.get("largest_update_ratio_before", 0) >= p["big_update"]:
        how = (f"from step {when['first_dead_step']}, right after an update that moved the weights by "
               f"{when['largest_update_ratio_before']:.2g} of their norm (step {when['largest_update_step']})")
    elif "first_dead_step" in when:
        how = f"from step {when['first_dead_step']}"
    else:
        how = "by the end of training"
    severity = Severity.ERROR if worst >= p["error_frac"] else Severity.WARNING
    severity, anyway = _unless_learned(run, severity, evidence, p)
    more = f" (and {len(dead) - 1} more ReLU layers)" if len(dead) > 1 else ""
    what = (f"{worst:.0%} of the units of {name} ({table.kinds.get(name)}) are never positive, so "
            f"the ReLU after them outputs zero for every input" if functional else
            f"{worst:.0%} of the units of {name} ({table.kinds.get(name)}) output zero for every input")
    return [Finding("dead_units", severity,
                    summary=f"{what}, {how}{more}{anyway}",
                    evidence=evidence, params=p, layers=[layer for layer, _ in dead],
                    steps=[when.get("first_dead_step", int(table.steps[0])), int(table.steps[-1])])]


def _unless_learned(run: Run, severity: Severity, evidence: dict, p: dict,
                    why: str = "capacity it did not need") -> tuple[Severity, str]:
    """A warning becomes a note when the model learned its task anyway (`learned_share`): the
    live units sufficed, the dead ones cost capacity the task did not need."""
    learned = learned_well(run, p["learned_share"]) if severity is Severity.WARNING else None
    if not learned:
        return severity, ""
    evidence["learned_anyway"] = learned
    return Severity.INFO, f"; the model learned its task anyway ({learned['sentence']}): {why}"


def _nearly_silent(run: Run, cols: list[int], rows: np.ndarray, p: dict) -> list[Finding]:
    """ReLU layers whose units each fire now and then, but whose outputs are almost all zero
    (`silent_frac`; a healthy ReLU layer passes about half): the layer is nearly dead as a whole,
    as when a normalisation shifts every unit far below zero."""
    table = run.activations
    if table.get("zero_frac") is None:
        return []
    late = late_median(table, "zero_frac", p["late_frac"], rows=rows)
    silent = {table.layers[c]: float(late[c]) for c in cols
              if np.isfinite(late[c]) and late[c] >= p["silent_frac"]}
    if not silent:
        return []
    worst = max(silent, key=silent.get)
    more = f" (and {len(silent) - 1} more ReLU layers)" if len(silent) > 1 else ""
    evidence = {"zero_fraction": silent, "worst_layer": worst,
                "worst_zero_fraction": silent[worst], "relu_layers": len(cols)}
    severity, anyway = _unless_learned(run, Severity.WARNING, evidence, p)
    return [Finding("dead_units", severity,
                    summary=f"{worst} ({table.kinds.get(worst)}) passes only {1 - silent[worst]:.1%} of "
                            f"its activations ({silent[worst]:.1%} are zero; a healthy ReLU layer passes "
                            f"about half): its units are nearly dead{more}{anyway}",
                    evidence=evidence,
                    params=p, layers=list(silent),
                    steps=[int(table.steps[rows[0]]), int(table.steps[-1])])]


@detector("saturated_activations", needs=("activations",))
def saturated_activations(run: Run, p: dict) -> list[Finding]:
    """What it detects: sigmoid/tanh hidden layers (modules, or functions called in a model that
    has no activation modules), and recurrent layers (GRU, LSTM, tanh RNN) whose hidden states are
    tanh-bounded, with at least `sat_frac` of their outputs within 2% of the bounds (median over
    the sampled steps). The model's final sigmoid (the prediction) is not judged, nor outputs that
    are NaN/Inf (non_finite says so). Units that reached their bounds after the first training
    step, in a model that learned its task anyway (`learned_share`), are a note: driven there as
    it fitted. Why it matters: the derivative is ~0 there; gradients stop
    flowing (through time, in a recurrent layer)."""
    table = run.activations
    sat = table.get("sat_frac")
    cols = _columns(run, SATURATING + RECURRENT + FUNCTIONAL)
    if sat is None or not cols:
        return []
    bad = table.get("nonfinite")
    if bad is not None:  # a NaN output is no unit at its bound: those measurements are of the NaN
        sat = np.where(np.nan_to_num(bad, nan=0.0) > 0, np.nan, sat)
    made = _hand_made_hidden(run)
    # the output activation (a sigmoid before BCELoss) should saturate: it is the prediction,
    # unless the loss applies a sigmoid again (then it is a hidden squash driven to its bounds)
    if cols[-1] == len(table.layers) - 1 and table.layers[cols[-1]] not in made \
            and (squashed_loss_input(run) or {}).get("squash") != "sigmoid":
        cols = cols[:-1]
    # a function's output is a hidden activation only when a layer runs after it (not the prediction)
    compute = _columns(run, COMPUTE)
    cols = [c for c in cols if table.kinds.get(table.layers[c]) not in FUNCTIONAL
            or any(k > c for k in compute) or table.layers[c] in made]
    if not cols:
        return []
    with np.errstate(all="ignore"):
        med = {c: float(np.nanmedian(sat[:, c])) for c in cols if np.isfinite(sat[:, c]).any()}
    hits = {table.layers[c]: f for c, f in med.items() if f >= p["sat_frac"]}
    if not hits:
        return []
    worst = max(hits, key=hits.get)
    first_row = next((r for r in range(len(table)) if any(
        sat[r, table.layers.index(n)] >= p["sat_frac"] for n in hits)), 0)
    recurrent = table.kinds.get(worst) in RECURRENT
    evidence = {"saturated_fraction": hits, "worst_layer": worst, "worst_saturated_fraction": hits[worst],
                "first_saturated_step": int(table.steps[first_row]), "recurrent": recurrent}
    severity = Severity.ERROR if hits[worst] >= p["error_frac"] else Severity.WARNING
    anyway = ""
    trained = table.steps[table.steps >= 1]  # (step 0: a forward before any training step)
    # not born saturated but driven there as it fitted (not by a loss that squashes again)
    if len(trained) and table.steps[first_row] > trained.min() and not squashed_loss_input(run):
        severity, anyway = _unless_learned(run, severity, evidence, p, "units driven to their bounds "
                                           "as it fitted act as binary features")
    more = f" (and {len(hits) - 1} more layers)" if len(hits) > 1 else ""
    return [Finding("saturated_activations", severity,
                    summary=f"{hits[worst]:.0%} of the {'hidden states' if recurrent else 'outputs'} of "
                            f"{worst} ({table.kinds.get(worst)}) sit at {'±1' if recurrent else 'its bounds'}, "
                            f"where the derivative is ~0, from step "
                            f"{evidence['first_saturated_step']}{more}{anyway}",
                    evidence=evidence, params=p, layers=list(hits),
                    steps=[int(table.steps[first_row]), int(table.steps[-1])])]
