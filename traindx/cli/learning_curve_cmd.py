"""`traindx learning-curve CONFIG.yaml`: train/val error against the training-set size, with the
Bayes error line and a bias-vs-variance verdict."""
from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from ..errors import InputError
from ..record.writer import unique_dir
from ..report.document import _clean
from .common import (BayesError, Format, HumanError, console, context, handles_input_errors, only_formats,
                     writable_dir)


def parse_fractions(text: str) -> list[float]:
    try:
        fr = sorted({float(x) for x in text.split(",") if x.strip()})
    except ValueError:
        raise InputError("--fractions", f"expected numbers like 0.1,0.2,0.4,0.7,1, got {text!r}") from None
    if len(fr) < 2 or fr[0] <= 0 or fr[-1] > 1:
        raise InputError("--fractions", "need at least two fractions in (0, 1]")
    return fr


@handles_input_errors
def learning_curve_cmd(
    config: Path = typer.Argument(..., help="The YAML config; data.n_train is the full training-set size."),
    fractions: str = typer.Option("0.1,0.2,0.4,0.7,1", "--fractions", help="Training-set fractions, comma-separated."),
    folds: int = typer.Option(0, "--folds", "-k", min=0, help="k-fold cross-validation per point (mean ± std); 0 = the fixed val set."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, help="Epochs per training (default: the config's)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Trainings in parallel (default: up to 2)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the runs (default runs/curve-<config>)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
) -> None:
    """Train on growing fractions of the training set and draw train and validation error against
    its size, with the Bayes error line; concludes high bias or high variance, with the numbers."""
    only_formats(format, (Format.text, Format.json), "learning-curve")
    from ..train import curve as LC
    from ..train import remedies as R
    from ..train import view
    from .train_cmd import load_config, set_threads

    cfg = load_config(config)
    fr = parse_fractions(fractions)
    if folds == 1 or folds < 0:
        raise InputError("--folds", "must be 0 (off) or at least 2")
    if folds > cfg["data"]["n_train"]:  # each fold holds out at least one training example
        raise InputError("--folds", f"{folds} folds of {cfg['data']['n_train']} training examples: "
                                    f"at most one fold per example")
    bayes = context(bayes_error, human_error, None).get("bayes_error", cfg["data"]["bayes_error"])
    set_threads(1)
    out = writable_dir(unique_dir(out or Path("runs") / f"curve-{config.stem}"), "--out")
    base = dict(cfg, tune={}, data=dict(cfg["data"], folds=0))
    total = len(fr) * max(folds, 1)
    started = time.monotonic()
    with view.progress(console(stderr=True)) as bar:
        task = bar.add_task("learning curve", total=total, info="") if bar else None
        points, task_kind = LC.compute(base, out, fr, folds=folds, epochs=epochs, jobs=jobs or R.default_jobs(),
                                       on_done=(lambda: bar.update(task, advance=1)) if bar else None)
    verdict = LC.conclude(points, bayes, task_kind)
    elapsed = time.monotonic() - started
    if format == Format.json:
        from .. import __version__
        print(json.dumps(_clean({"traindx": __version__, "schema": 1, "learning_curve": {
            "config": str(config), "task": task_kind, "bayes_error": bayes, "folds": folds,
            "points": [p.to_dict() for p in points], "verdict": verdict.problem, "summary": verdict.summary,
            "gaps": verdict.gap, "runs": str(out), "seconds": round(elapsed, 2)}}), indent=2, allow_nan=False))
        return
    con = console()
    unit = "error" if task_kind == "classification" else "loss"
    con.print(Text(f"traindx learning-curve · {config} · {len(points)} sizes"
                   + (f" × {folds} folds" if folds > 1 else ""), style="bold"))
    con.print(points_table(points, unit, task_kind))
    con.print()
    con.print(curve_chart(points, bayes, unit), markup=False, highlight=False)
    con.print()
    style = {"high_bias": "bold yellow", "high_variance": "bold yellow"}.get(verdict.problem or "", "bold green")
    con.print(Text(verdict.summary, style=style))
    con.print(f"runs in {out}  [{elapsed:.1f}s]", markup=False, highlight=False)


def points_table(points, unit: str, task: str) -> Table:
    f = (lambda v: f"{v:.1%}") if task == "classification" else (lambda v: f"{v:.3g}")
    t = Table(box=None, header_style="bold", pad_edge=False)
    for c in ("fraction", "n train", f"train {unit}", f"val {unit}", "gap", "problems"):
        t.add_column(c, justify="left" if c == "problems" else "right")
    for p in points:
        pm = lambda v, s: f(v) + (f" ± {f(s)}" if s else "")  # noqa: E731
        t.add_row(f"{p.fraction:g}", str(p.n_train), pm(p.train_error, p.train_std), pm(p.val_error, p.val_std),
                  f(p.val_error - p.train_error), ", ".join(p.problems) or "healthy")
    return t


def curve_chart(points, bayes: float | None, unit: str, width: int = 50, height: int = 10) -> str:
    """Train (t) and val (v) error against training-set size (log axis), Bayes error as a dashed line."""
    xs = [math.log2(p.n_train) for p in points]
    ys = [p.train_error for p in points] + [p.val_error for p in points] + ([bayes] if bayes is not None else [])
    fin = [y for y in ys if math.isfinite(y)]
    lo, hi = min(fin + [0.0]), max(fin)
    span = (hi - lo) or 1.0
    grid = [[" "] * width for _ in range(height)]

    def row(y: float) -> int:
        return height - 1 - int(round((y - lo) / span * (height - 1)))
    if bayes is not None:
        r = row(bayes)
        grid[r] = ["-" if c % 2 == 0 else " " for c in range(width)]
    x0, x1 = xs[0], xs[-1]
    for p, x in zip(points, xs):
        c = int(round((x - x0) / ((x1 - x0) or 1) * (width - 1)))
        for y, mark in ((p.val_error, "v"), (p.train_error, "t")):
            if math.isfinite(y):
                r = row(y)
                grid[r][c] = "*" if grid[r][c] in ("t", "v") else mark
    lines = [f"{unit} (t = train, v = val" + (", - - = Bayes error" if bayes is not None else "") + ")"]
    fmt = (lambda v: f"{v:.1%}") if unit == "error" else (lambda v: f"{v:.3g}")
    for i, r in enumerate(grid):
        label = fmt(hi) if i == 0 else (fmt(lo) if i == height - 1 else "")
        lines.append(f"{label:>8} │" + "".join(r))
    lines.append(" " * 9 + "└" + "─" * width)
    left, right = str(points[0].n_train), str(points[-1].n_train)
    lines.append(" " * 10 + left + " " * max(1, width - len(left) - len(right)) + right)
    lines.append(" " * 10 + "training examples (log scale)")
    return "\n".join(lines)
