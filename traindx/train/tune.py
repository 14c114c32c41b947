"""Hyper-parameter search on the built-in trainer (`traindx tune`): search spaces, the
order-of-magnitude, random and evolutionary strategies, and trial ranking. Every trial is a
recorded, diagnosed training; one whose diagnosis has an error (NaN, exploding...) is marked.

Strategies are deterministic given the seed: they only draw from their own numpy Generator, and
each trial's training is seeded by the config."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..errors import InputError
from ..safe_io import load_yaml
from . import config as C

ALIASES = {"model.width": "model.widths"}
STRATEGIES = ("magnitude", "random", "evolution")
METRICS = {"val_loss": 1, "val_acc": -1, "train_loss": 1, "test_loss": 1, "test_acc": -1}  # 1 = lower is better


@dataclass(frozen=True)
class Param:
    key: str
    kind: str  # range | choice
    lo: float = 0.0
    hi: float = 0.0
    log: bool = False
    integer: bool = False
    choices: tuple = ()

    def describe(self) -> str:
        if self.kind == "choice":
            return f"{self.key} in {{{', '.join(map(str, self.choices))}}}"
        return f"{self.key} in [{self.lo:g}, {self.hi:g}]" + (" (log)" if self.log else "")

    def clip(self, v: float) -> Any:
        v = min(max(v, self.lo), self.hi)
        return int(round(v)) if self.integer else float(v)


def _schema(key: str) -> tuple:
    sec, _, name = key.partition(".")
    spec = C.SCHEMA.get(sec, {}).get(name)
    if spec is None:
        raise InputError("--param", f"key {key}: unknown config key")
    return spec


def parse_param(key: str, text: Any, where: str = "--param") -> Param:
    """`lo..hi[:log]` (a range) or `a,b,c` / a YAML list (choices)."""
    key = ALIASES.get(key.strip(), key.strip())
    spec = _schema(key)
    numeric = spec[1] in ("int", "float", "ints", "floats", "opt_float")
    integer = spec[1] in ("int", "ints")
    if isinstance(text, list):
        choices = tuple(text)
    else:
        text = str(text).strip()
        log = text.endswith(":log")
        body = text[:-4] if log else text
        if ".." in body and numeric:
            lo_s, _, hi_s = body.partition("..")
            try:
                lo, hi = float(lo_s), float(hi_s)
            except ValueError:
                raise InputError(where, f"key {key}: bad range {text!r} (expected LO..HI or LO..HI:log)") from None
            if not lo < hi or (log and lo <= 0):
                raise InputError(where, f"key {key}: range needs LO < HI{' and LO > 0 for :log' if log else ''}")
            return Param(key, "range", lo, hi, log, integer)
        choices = tuple(load_yaml(v.strip(), where) for v in body.split(",") if v.strip())
    if not choices:
        raise InputError(where, f"key {key}: no values")
    for v in choices:  # each choice must be a valid value for the key
        C.patch(C.defaults(), {key: _value(C.defaults(), key, v)}, where)
    return Param(key, "choice", choices=choices)


def parse_space(items: list[str] | None, section: dict | None) -> list[Param]:
    """--param KEY=SPEC items win; else the config's `tune: params:` mapping."""
    space: list[Param] = []
    for item in items or []:
        key, eq, spec = item.partition("=")
        if not eq:
            raise InputError("--param", f"expected KEY=LO..HI[:log] or KEY=A,B,C, got {item!r}")
        space.append(parse_param(key, spec))
    if not space and section:
        params = section.get("params") or {}
        if not isinstance(params, dict):
            raise InputError("config", "key tune.params: must be a mapping of key -> range or list")
        space = [parse_param(k, v, "config tune.params") for k, v in params.items()]
    if not space:
        raise InputError("--param", "no search space: give --param KEY=LO..HI[:log] or a tune: params: section")
    if len({p.key for p in space}) != len(space):
        raise InputError("--param", "a key is given twice")
    return space


def _value(cfg: dict, key: str, v: Any) -> Any:
    """A searched value as a config patch value: a number for a list key sets every element."""
    sec, _, name = key.partition(".")
    if isinstance(cfg[sec][name], list) and not isinstance(v, list):
        return [v] * len(cfg[sec][name])
    return v


def to_patch(cfg: dict, point: dict[str, Any]) -> dict[str, Any]:
    return {k: _value(cfg, k, v) for k, v in point.items()}


# ------------------------------------------------------------------ strategies
def _grid(p: Param) -> list:
    """The coarse order-of-magnitude grid: powers of 10 across a log range spanning >= 2 decades,
    else powers of 2; 5 even steps across a linear range; every choice."""
    if p.kind == "choice":
        return list(p.choices)
    if p.log:
        base = 10.0 if math.log10(p.hi / p.lo) >= 2 else 2.0
        k0, k1 = math.ceil(math.log(p.lo, base) - 1e-9), math.floor(math.log(p.hi, base) + 1e-9)
        vals = [base ** k for k in range(k0, k1 + 1)] or [p.lo, p.hi]
        return list(dict.fromkeys(p.clip(v) for v in vals))
    return list(dict.fromkeys(p.clip(v) for v in np.linspace(p.lo, p.hi, 5)))


def _sample(p: Param, rng: np.random.Generator) -> Any:
    if p.kind == "choice":
        return p.choices[int(rng.integers(len(p.choices)))]
    if p.log:
        return p.clip(float(math.exp(rng.uniform(math.log(p.lo), math.log(p.hi)))))
    return p.clip(float(rng.uniform(p.lo, p.hi)))


def _mutate(p: Param, v: Any, rng: np.random.Generator) -> Any:
    if p.kind == "choice":
        return p.choices[int(rng.integers(len(p.choices)))]
    if p.log:
        return p.clip(v * 10 ** rng.normal(0, 0.5))
    return p.clip(v + rng.normal(0, 0.15 * (p.hi - p.lo)))


Evaluate = Callable[[list[dict]], list[float]]  # points -> fitness (lower is better), in order


def magnitude(space: list[Param], budget: int, rng, evaluate: Evaluate) -> list[dict]:
    """The course's order-of-magnitude search: a coarse grid (powers of 10 or 2), then a finer pass
    around the best point (half an order of magnitude either side on log axes)."""
    import itertools
    grid = [dict(zip([p.key for p in space], combo)) for combo in itertools.product(*map(_grid, space))]
    if len(grid) > budget:
        keep = sorted(rng.choice(len(grid), size=budget, replace=False))
        grid = [grid[i] for i in keep]
    scores = evaluate(grid)
    points = list(grid)
    left = budget - len(points)
    if left > 0:
        best = points[int(np.argmin(scores))]
        fine: list[dict] = []
        for p in space:
            if p.kind != "range":
                continue
            base = 10.0 if (p.log and math.log10(p.hi / p.lo) >= 2) else 2.0
            for f in ((base ** -0.5, base ** 0.5) if p.log else (-0.1, 0.1)):
                v = p.clip(best[p.key] * f if p.log else best[p.key] + f * (p.hi - p.lo))
                cand = dict(best, **{p.key: v})
                if cand not in points and cand not in fine:
                    fine.append(cand)
        fine = fine[:left]
        if fine:
            evaluate(fine)
            points += fine
    return points


def random_search(space: list[Param], budget: int, rng, evaluate: Evaluate) -> list[dict]:
    points = [{p.key: _sample(p, rng) for p in space} for _ in range(budget)]
    evaluate(points)
    return points


def evolution(space: list[Param], budget: int, rng, evaluate: Evaluate, population: int = 6) -> list[dict]:
    """A small genetic algorithm: random initial population; each generation keeps the better half
    (truncation selection), breeds children by uniform crossover of two parents and mutates each
    parameter with probability 0.3 (log axes: x 10^N(0, 0.5))."""
    pop_size = max(2, min(population, budget))
    pop = [{p.key: _sample(p, rng) for p in space} for _ in range(pop_size)]
    fitness = evaluate(pop)
    points, scored = list(pop), list(zip(fitness, range(len(pop)), pop))
    while len(points) < budget:
        scored.sort(key=lambda t: (t[0], t[1]))
        parents = [pt for _, _, pt in scored[:max(2, pop_size // 2)]]
        children = []
        for _ in range(min(pop_size, budget - len(points))):
            a, b = rng.choice(len(parents), size=2, replace=False)
            child = {p.key: (parents[a] if rng.random() < 0.5 else parents[b])[p.key] for p in space}
            for p in space:
                if rng.random() < 0.3:
                    child[p.key] = _mutate(p, child[p.key], rng)
            children.append(child)
        fit = evaluate(children)
        scored += [(f, len(points) + i, c) for i, (f, c) in enumerate(zip(fit, children))]
        points += children
    return points


STRATEGY_FN = {"magnitude": magnitude, "random": random_search, "evolution": evolution}


# ------------------------------------------------------------------ trials
@dataclass
class TuneTrial:
    index: int
    point: dict[str, Any]
    path: Path
    metrics: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failure: str = ""

    def value(self, metric: str) -> float:
        v = self.metrics.get(metric)
        if not isinstance(v, (int, float)) or not math.isfinite(v):
            return math.inf
        return METRICS[metric] * v

    def rank_key(self, metric: str) -> tuple:
        """Trials whose diagnosis has an error rank after every clean one, then by the metric."""
        return (bool(self.failure or self.errors), self.value(metric), self.index)

    def to_dict(self) -> dict:
        keys = ("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "seconds")
        return {"trial": self.index, "params": self.point, "run": str(self.path),
                "metrics": {k: self.metrics.get(k) for k in keys}, "problems": self.problems,
                "errors": self.errors, "failure": self.failure or None}


def search(cfg: dict, space: list[Param], strategy: str, budget: int, out: Path, *, seed: int = 0,
           metric: str = "val_loss", epochs: int | None = None, jobs: int = 1, population: int = 6,
           rules_file=None, ctx: dict | None = None,
           on_done: Callable[[TuneTrial], None] | None = None) -> list[TuneTrial]:
    """Run the search; trials in the order they were proposed."""
    from .remedies import run_pool
    trials: list[TuneTrial] = []
    rng = np.random.default_rng(seed)

    def evaluate(points: list[dict]) -> list[float]:
        batch = [TuneTrial(len(trials) + i + 1, pt, out / f"trial-{len(trials) + i + 1}")
                 for i, pt in enumerate(points)]
        args = [(cfg, to_patch(cfg, t.point), t.path, epochs, rules_file, ctx) for t in batch]

        def take(i: int, res: dict) -> None:
            t = batch[i]
            t.metrics, t.problems, t.errors, t.failure = (res["metrics"], res["problems"], res["errors"],
                                                           res["failure"])
            if on_done:
                on_done(t)
        run_pool(args, jobs, take)
        trials.extend(batch)
        # an error finding (NaN, exploding) counts as a bad result, whatever the loss says
        return [t.value(metric) + (1e6 if (t.errors or t.failure) else 0.0) for t in batch]

    fn = STRATEGY_FN[strategy]
    if strategy == "evolution":
        fn(space, budget, rng, evaluate, population=population)
    else:
        fn(space, budget, rng, evaluate)
    return trials


def ranked(trials: list[TuneTrial], metric: str) -> list[TuneTrial]:
    return sorted(trials, key=lambda t: t.rank_key(metric))


def default_budget(space: list[Param], strategy: str) -> int:
    if strategy == "magnitude":
        n = 1
        for p in space:
            n *= len(_grid(p))
        return min(n + 2 * sum(p.kind == "range" for p in space), 24)
    return 12
