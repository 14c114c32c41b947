"""Live alerts: at each flush, look at what it moved to the host and say, once per problem, on
stderr, the moment a training is clearly broken — a non-finite loss or gradient, updates as large
as the weights, a loss that ran away, a gradient norm that grew by orders while the loss did not
fall. The checks read only the flushed window and a few numbers kept from earlier flushes (the
start of the loss and of the gradient norm, the first update): a flush costs the same at step 100
and at step 10^6, and nothing touches the training's hot path. With `stop_on`, an alert at that
level asks the recorder to end the training at the step boundary (StopTraining).

The final report stays the judge: it re-runs every detector on the whole run; an alert it does
not confirm is named in its notes ("raised live ..., not confirmed"), never silently dropped."""
from __future__ import annotations

import math
import sys
from typing import Callable

import numpy as np

from .diagnose import Finding, Severity
from .diagnose.profile import Profile
from .diagnose.signals import norm_or_embedding_name
from .diagnose.thresholds import DEFAULTS
from .remedies import load_rules, plan

LEVELS = {"error": 2, "warning": 1}
START_POINTS = 8  # points of the loss / gradient norm that make their start (a median)


class Monitor:
    def __init__(self, stop_on: str | None = None, say: Callable[[str], None] | None = None):
        if stop_on is not None and stop_on not in LEVELS:
            raise ValueError(f"stop_on must be one of {', '.join(LEVELS)}, got {stop_on!r}")
        self.stop_on = stop_on
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.raised: dict[str, int] = {}  # problem -> the step it was first raised at
        self._loss_start: list[float] = []
        self._grad_start: list[float] = []
        self._grad_peak = 0.0
        self._first_update: float | None = None
        self._first_rel_grad: float | None = None
        self._sampled = 0  # parameter rows seen (the first ones are "the first updates")
        self._lr_first: float | None = None
        self._lr_peak = 0.0

    # ----------------------------------------------------------------- the flush
    def on_flush(self, recorder, window: dict) -> None:
        scalars = window.get("scalars", {})
        loss = _series(scalars.get("train_loss"))
        grad = _series(scalars.get("grad_norm_preclip") or scalars.get("grad_norm"))
        self._remember(scalars, grad)
        for name, steps, layers, stats in window.get("layers", []):
            if name == "params":
                self._params(recorder, steps, layers, stats)
        self._non_finite(recorder, scalars, window)
        self._runaway(recorder, loss, grad)
        self._loss_start.extend(v for v in loss[1] if math.isfinite(v))
        del self._loss_start[START_POINTS:]

    def _remember(self, scalars: dict, grad: tuple) -> None:
        lr = _series(scalars.get("lr"))
        finite_lr = [v for v in lr[1] if math.isfinite(v)]
        if finite_lr:
            self._lr_first = self._lr_first if self._lr_first is not None else finite_lr[0]
            self._lr_peak = max(self._lr_peak, max(finite_lr))
        finite = [v for v in grad[1] if math.isfinite(v)]
        self._grad_start.extend(finite)
        del self._grad_start[START_POINTS:]
        if finite:
            self._grad_peak = max(self._grad_peak, max(finite))

    # ----------------------------------------------------------------- checks
    def _params(self, recorder, steps: list, layers: list, stats: dict) -> None:
        """Updates as large as the weights in the first sampled steps: each step throws the
        weights away (the final detector's `early_ratio`), unless the gradients were already
        that large before any update (a broken initialisation, not the step size)."""
        p = DEFAULTS["learning_rate_too_high"]
        ratios, grads, weights = (np.asarray(stats.get(k, []), dtype=float)
                                  for k in ("update_ratio", "grad_norm", "weight_norm"))
        # weight matrices only, as the final detector: a bias or a norm that starts at zero moves
        # by its own size on the first steps whatever the lr (a BERT at lr 1e-7 read "1.37")
        matrices = np.array([_is_weight_matrix(name, recorder) for name in layers], dtype=bool)
        if ratios.size and ratios.shape[1] != len(matrices):
            matrices = np.ones(ratios.shape[1], dtype=bool)
        for i, step in enumerate(steps):
            self._sampled += 1
            if self._first_rel_grad is None and grads.size and weights.size:
                with np.errstate(all="ignore"):
                    rel = grads[i] / weights[i]
                rel = rel[np.isfinite(rel)]
                self._first_rel_grad = float(np.median(rel)) if rel.size else None
            row = ratios[i][matrices] if ratios.size else np.array([])
            row = row[np.isfinite(row) & (row > 0)]
            if not row.size:
                continue
            ratio = float(np.median(row))
            if self._first_update is None:
                self._first_update = ratio
            if self._sampled <= p["first_steps"] and ratio >= p["early_ratio"] \
                    and not (self._first_rel_grad or 0) >= p["init_grad_rel"]:
                self._alert(recorder, int(step), "learning_rate_too_high", Severity.ERROR,
                            f"the update moved the weights by {ratio:.3g} of their norm "
                            f"(~1e-3 is healthy): each step throws the weights away",
                            evidence={"update_ratio_first_steps": ratio})

    def _non_finite(self, recorder, scalars: dict, window: dict) -> None:
        first = None
        for key in ("train_loss", "grad_norm_preclip", "grad_norm", "eval_loss"):
            steps, values = _series(scalars.get(key))
            bad = [(s, v) for s, v in zip(steps, values) if not math.isfinite(v)]
            if bad and (first is None or bad[0][0] < first[0]):
                first = (bad[0][0], key, bad[0][1])
        if first is None:
            return
        step, key, value = first
        what = {"train_loss": "the train loss", "eval_loss": "the eval loss",
                "grad_norm": "the gradient norm", "grad_norm_preclip": "the gradient norm"}[key]
        message = f"{what} is {'NaN' if math.isnan(value) else value} from step {step}"
        layer = _first_non_finite_layer(window)
        if layer:
            message += f" (first non-finite gradient in {layer})"
        start = _median(self._grad_start)
        if start and self._grad_peak >= 100 * start:
            message += f"; the gradient norm grew {self._grad_peak / start:.3g}x before"
        cause = "learning_rate_too_high" if (self._first_update or 0) >= 0.1 else None
        self._alert(recorder, step, "non_finite", Severity.ERROR, message, cause=cause)

    def _runaway(self, recorder, loss: tuple, grad: tuple) -> None:
        """A loss that ran an order of magnitude above its start, or a gradient norm that grew by
        orders while the loss did not fall (the final detectors' jump_factor, growth_orders)."""
        start = _median(self._loss_start)
        finite = [(s, v) for s, v in zip(*loss) if math.isfinite(v)]
        if start and start > 0 and finite:
            jump = DEFAULTS["learning_rate_too_high"]["jump_factor"]
            level = _median([v for _, v in finite[-START_POINTS:]])
            if level >= jump * start:
                g0 = _median(self._grad_start)
                grew = g0 and self._grad_peak >= 10 ** DEFAULTS["exploding_gradients"]["growth_orders"] * g0
                problem = "exploding_gradients" if grew else "learning_rate_too_high"
                message = f"the train loss ran away: {level:.3g} at step {finite[-1][0]}, " \
                          f"{level / start:.3g}x its start {start:.3g}"
                if grew:
                    message += f"; the gradient norm grew {self._grad_peak / g0:.3g}x"
                self._alert(recorder, finite[-1][0], problem, Severity.ERROR, message,
                            cause="learning_rate_too_high" if problem == "exploding_gradients" and
                            (self._first_update or 0) >= 0.1 else None)
                return
        g0 = _median(self._grad_start)
        g = [(s, v) for s, v in zip(*grad) if math.isfinite(v)]
        p = DEFAULTS["exploding_gradients"]
        if g0 and g and start and finite and len(self._grad_start) >= START_POINTS:
            level = _median([v for _, v in g[-START_POINTS:]])
            loss_level = _median([v for _, v in finite[-START_POINTS:]])
            if level >= 10 ** p["growth_orders"] * g0 and loss_level >= p["growth_loss_ratio"] * start:
                self._alert(recorder, g[-1][0], "exploding_gradients", Severity.ERROR,
                            f"the gradient norm grew {level / g0:.3g}x since the start "
                            f"({g0:.3g} → {level:.3g}) while the loss did not fall")

    # ----------------------------------------------------------------- saying it
    def _alert(self, recorder, step: int, problem: str, severity: Severity, message: str,
               cause: str | None = None, evidence: dict | None = None) -> None:
        if problem in self.raised:
            return
        self.raised[problem] = step
        remedy = self._remedy(cause or problem, evidence or {}, recorder)
        root = f" — {cause.replace('_', ' ')}?" if cause and cause != problem else ""
        line = f"traindx: step {step}: {problem}: {message}{root}" + (f" — {remedy}" if remedy else "")
        recorder.writer.event("alert", step=step, problem=problem, severity=severity.value,
                              message=message, cause=cause, remedy=remedy)
        self.say(line)
        if self.stop_on is not None and severity.rank >= LEVELS[self.stop_on]:
            recorder.request_stop(f"{problem}: {message}")

    def _remedy(self, problem: str, evidence: dict, recorder) -> str:
        """The first remedy the plan would give, with the numbers known so far."""
        name = recorder.optimizer_name
        profile = Profile(lr=self._lr_first, peak_lr=self._lr_peak or self._lr_first,
                          first_update_ratio=self._first_update, optimizer_name=name,
                          optimizer="adam" if name and "adam" in name.lower() else None,
                          grad_norm_start=self._grad_start[0] if self._grad_start else None)
        items = plan([Finding(problem, Severity.ERROR, "", evidence=evidence)], load_rules(), profile=profile)
        return items[0].action if items else ""


def _is_weight_matrix(name: str, recorder) -> bool:
    """A parameter the update/weight ratio is judged on: a matrix or filter, not in a norm or an
    embedding (signals.weight_layers' rule; parameters of unknown shape count)."""
    shaped = getattr(recorder, "matrices", None)
    if norm_or_embedding_name(name.rpartition(".")[0]):
        return False
    return name in shaped if shaped else not name.endswith("bias")


def _series(pair) -> tuple[list, list]:
    if not pair:
        return [], []
    steps, values = pair
    return list(steps), [float(v) for v in values]


def _median(values: list[float]) -> float | None:
    values = [v for v in values if math.isfinite(v)]
    return float(np.median(values)) if values else None


def _first_non_finite_layer(window: dict) -> str | None:
    for name, steps, layers, stats in window.get("layers", []):
        flags = stats.get("grad_nonfinite") if name == "params" else None
        if flags is None:
            continue
        for row in flags:
            for layer, flag in zip(layers, row):
                if flag and flag > 0:
                    return layer
    return None
