"""`traindx tune CONFIG.yaml`: hyper-parameter search on the built-in trainer, every trial
recorded and diagnosed."""
from __future__ import annotations

import json
import time
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from ..record.writer import unique_dir
from ..report.document import _clean
from .common import Format, console, handles_input_errors, only_formats, writable_dir, writable_file


class Strategy(str, Enum):
    magnitude = "magnitude"
    random = "random"
    evolution = "evolution"


@handles_input_errors
def tune_cmd(
    config: Path = typer.Argument(..., help="The YAML config to tune (its tune: section may hold the search space)."),
    param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="Search space: KEY=LO..HI[:log] or KEY=A,B,C (repeatable), e.g. training.lr=1e-5..1e-1:log."),
    strategy: Optional[Strategy] = typer.Option(None, "--strategy", "-s", help="magnitude (order-of-magnitude grid, then finer), random, or evolution (default: tune.strategy or magnitude)."),
    trials: Optional[int] = typer.Option(None, "--trials", "-n", min=1, help="Budget: number of trainings (default: the grid plus a finer pass for magnitude, 12 otherwise)."),
    epochs_per_trial: Optional[int] = typer.Option(None, "--epochs-per-trial", min=1, help="Epochs of each trial (default: the config's)."),
    metric: str = typer.Option("val_loss", "--metric", help="What to optimise: val_loss, val_acc, train_loss, test_loss, test_acc."),
    population: int = typer.Option(6, "--population", min=2, help="Evolution: population size."),
    seed: int = typer.Option(0, "--seed", help="Seed of the search strategy (trainings use the config's seed)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Trials trained in parallel (default: up to 2)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the trial runs (default runs/tune-<config>)."),
    best: Optional[Path] = typer.Option(None, "--best", help="Where to write the best config (default OUT/best.yaml)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Search hyper-parameters: order-of-magnitude, random or evolutionary. Each trial is recorded
    and diagnosed; trials with an error finding (NaN, exploding gradients...) are marked and rank
    last. Prints a ranked table and a chart, and writes the best config."""
    only_formats(format, (Format.text, Format.json), "tune")
    from ..train import config as C
    from ..train import remedies as R
    from ..train import tune as T
    from ..train import view
    from .train_cmd import load_config, set_threads

    cfg = load_config(config)
    section = cfg.get("tune") or {}
    unknown = set(section) - {"strategy", "params", "trials", "epochs_per_trial", "metric", "population", "seed"}
    if unknown:
        raise InputError(config, f"key tune.{sorted(unknown)[0]}: unknown (expected strategy, params, trials, "
                                 "epochs_per_trial, metric, population, seed)")
    space = T.parse_space(param, section)
    strat = strategy.value if strategy else str(section.get("strategy", "magnitude"))
    if strat not in T.STRATEGIES:
        raise InputError(config, f"key tune.strategy: must be one of {', '.join(T.STRATEGIES)}")
    metric = str(section.get("metric", metric)) if metric == "val_loss" and "metric" in section else metric
    if metric not in T.METRICS:
        raise InputError("--metric", f"must be one of {', '.join(T.METRICS)}")
    budget = trials or int(section.get("trials") or 0) or T.default_budget(space, strat)
    if budget < 1:
        raise InputError("--trials", f"must be at least 1, got {budget}")
    epochs = epochs_per_trial or section.get("epochs_per_trial")
    seed = seed if seed else int(section.get("seed", 0))
    set_threads(1)
    if best is not None:
        writable_file(best, "--best")
    out = writable_dir(unique_dir(out or Path("runs") / f"tune-{config.stem}"), "--out")
    base = dict(cfg, tune={}, data=dict(cfg["data"], folds=0))
    err = console(stderr=True)
    started = time.monotonic()
    with view.progress(err) as bar:
        task = bar.add_task(f"tune ({strat})", total=budget, info="") if bar else None

        def done(t) -> None:
            if bar is not None:
                bar.update(task, advance=1, info=f"trial {t.index}: {metric} {view.num(t.metrics.get(metric))}")
        found = T.search(base, space, strat, budget, out, seed=seed, metric=metric, epochs=epochs,
                         jobs=jobs or R.default_jobs(), population=population, on_done=done)
    order = T.ranked(found, metric)
    top = order[0]
    best_path = best or out / "best.yaml"
    best_cfg = C.patch(cfg, T.to_patch(cfg, top.point), "best")
    if epochs:
        best_cfg["training"]["epochs"] = int(epochs)
    best_path.parent.mkdir(parents=True, exist_ok=True)
    best_path.write_text(f"# best of {len(found)} trials ({strat} search on {metric}) by traindx tune\n"
                         + C.dump(best_cfg), encoding="utf-8")
    elapsed = time.monotonic() - started
    if format == Format.json:
        from .. import __version__
        doc = {"traindx": __version__, "schema": 1, "tune": {
            "config": str(config), "strategy": strat, "metric": metric, "seed": seed, "budget": budget,
            "space": [p.describe() for p in space], "best": top.to_dict(), "best_config": str(best_path),
            "trials": [t.to_dict() for t in order], "seconds": round(elapsed, 2)}}
        print(json.dumps(_clean(doc), indent=2, allow_nan=False))
        return
    con = console()
    con.print(Text(f"traindx tune · {config} · {strat} search on {metric} · {len(found)} trials", style="bold"))
    con.print("space: " + "; ".join(p.describe() for p in space), markup=False, highlight=False)
    con.print(ranked_table(order, space, metric))
    chart = _chart(found, space, metric)
    if chart:
        con.print()
        con.print(chart, markup=False, highlight=False)
    marked = sum(bool(t.errors or t.failure) for t in found)
    con.print()
    con.print(f"best: trial {top.index} ({', '.join(f'{k}={_fmt(v)}' for k, v in top.point.items())}) "
              f"{metric} {view.num(top.metrics.get(metric))}"
              + (f"; {marked} trial(s) marked ✘ had an error finding" if marked else ""),
              markup=False, highlight=False)
    con.print(f"best config: {best_path}  (traindx train {best_path})  [{elapsed:.1f}s; runs in {out}]",
              markup=False, highlight=False)


def _fmt(v) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def ranked_table(order: list, space: list, metric: str, limit: int = 20) -> Table:
    from ..train import view
    t = Table(box=None, header_style="bold", pad_edge=False)
    t.add_column("#", justify="right")
    t.add_column("trial", justify="right")
    for p in space:
        t.add_column(p.key.split(".", 1)[1], justify="right")
    for c in ("val loss", "val acc", "problems"):
        t.add_column(c, justify="left" if c == "problems" else "right", overflow="fold")
    for rank, tr in enumerate(order[:limit], 1):
        bad = bool(tr.errors or tr.failure)
        probs = tr.failure or ", ".join(tr.problems) or "healthy"
        t.add_row(str(rank), str(tr.index), *[_fmt(tr.point[p.key]) for p in space],
                  view.num(tr.metrics.get("val_loss")), view.pct(tr.metrics.get("val_acc")),
                  Text(("✘ " if bad else "") + probs, style="red" if bad else ("green" if not tr.problems else "yellow")))
    return t


def _chart(found: list, space: list, metric: str) -> str:
    from ..train import view
    p = next((p for p in space if p.kind == "range"), None)
    if p is None:
        return ""
    xs = [float(t.point[p.key]) if not isinstance(t.point[p.key], list) else None for t in found]
    ys = [t.metrics.get(metric) if isinstance(t.metrics.get(metric), (int, float)) else float("nan") for t in found]
    marks = ["✘" if (t.errors or t.failure) else "●" for t in found]
    return view.scatter(xs, [float(y) for y in ys], marks, log_x=p.log, x_label=p.key, y_label=metric)
