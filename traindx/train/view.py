"""Terminal views of the trainer: progress bars, the metrics table, the remedy-trials table."""
from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Any, Iterator

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .remedies import Trial, verdict


def num(x: Any, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if x != x else ("inf" if x > 0 else "-inf")
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def pct(x: Any) -> str:
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else f"{x:.1%}"


@contextmanager
def progress(console: Console, enabled: bool = True) -> Iterator[Progress | None]:
    """A rich progress display on stderr (so stdout stays clean for --format json)."""
    if not enabled:
        yield None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[info]}"), TimeElapsedColumn(), console=console,
                   transient=True)
    with bar:
        yield bar


def epoch_callback(bar: Progress | None, description: str, total: int):
    """A trainer `progress` callback that advances one bar task per epoch."""
    if bar is None:
        return None
    task = bar.add_task(description, total=total, info="")

    def update(epoch: int, epochs: int, row: dict) -> None:
        acc = row.get("val_acc")
        info = f"loss {num(row['train_loss'])}  val {num(row['val_loss'])}" + \
            (f"  acc {pct(acc)}" if acc is not None else "")
        bar.update(task, completed=epoch, total=epochs, info=info)
    return update


def metrics_table(m: dict) -> Table:
    t = Table(title="evaluation", title_justify="left", box=None, header_style="bold")
    classify = m.get("task") == "classification"
    cols = ["split", "loss"] + (["accuracy", "precision", "recall"] if classify else [])
    for c in cols:
        t.add_column(c, justify="left" if c == "split" else "right")
    for split in ("train", "val", "test"):
        if f"{split}_loss" not in m:
            continue
        row = [split, num(m[f"{split}_loss"])]
        if classify:
            row += [pct(m.get(f"{split}_acc")), pct(m.get(f"{split}_macro_precision")),
                    pct(m.get(f"{split}_macro_recall"))]
        t.add_row(*row)
    return t


def confusion_table(cm: list[list[int]], title: str = "confusion matrix (val)") -> Table:
    t = Table(title=title, title_justify="left", box=None, header_style="bold")
    t.add_column("true\\pred")
    for j in range(len(cm)):
        t.add_column(str(j), justify="right")
    for i, row in enumerate(cm):
        t.add_row(str(i), *[Text(str(v), style="bold" if i == j else "") for j, v in enumerate(row)])
    return t


def short_patch(name: str) -> str:
    """'model.activation=relu, model.init=he' -> 'activation=relu, init=he'."""
    return ", ".join(part.split(".", 1)[-1] for part in name.split(", "))


def verdict_style(verdict: str) -> str:
    return "green" if verdict.startswith(("fixed", "improved")) else \
        ("yellow" if verdict.startswith("not fixed") else "red")


def trials_table(trials: list[Trial], found: list[str], before: dict, best: dict[str, Trial]) -> Table:
    classify = before.get("val_acc") is not None
    t = Table(title="remedies tried (each re-trained from scratch and re-diagnosed)", title_justify="left",
              header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("problem", no_wrap=True)
    t.add_column("remedy (config patch)", overflow="fold", ratio=2)
    t.add_column("still?")
    t.add_column("train loss", justify="right")
    t.add_column("val loss", justify="right")
    if classify:
        t.add_column("train acc", justify="right")
        t.add_column("val acc", justify="right")
    t.add_column("verdict", overflow="fold", ratio=1)

    def row(problem: str, name: str, still: str, m: dict, text: Text) -> list:
        cells = [problem, short_patch(name), still, num(m.get("train_loss")), num(m.get("val_loss"))]
        if classify:
            cells += [pct(m.get("train_acc")), pct(m.get("val_acc"))]
        return cells + [text]

    t.add_row(*row("(baseline)", "as configured", "yes", before, Text("baseline", style="dim")))
    for problem in found:
        mine = [x for x in trials if any(p == problem for p, _ in x.targets)]
        for trial in sorted(mine, key=lambda x: x.score(before)):
            v = verdict(trial, problem, before)
            still = "-" if trial.failure else ("yes" if problem in trial.problems else "no")
            style = verdict_style(v)
            label = v + ("  ★ best" if best.get(problem) is trial else "")
            t.add_row(*row(problem, trial.name, still, trial.metrics, Text(label, style=style)))
    return t


def scatter(xs: list[float], ys: list[float], marks: list[str], *, log_x: bool = False,
            width: int = 48, height: int = 9, x_label: str = "", y_label: str = "") -> str:
    """A small text scatter plot (one character per point: the mark); non-finite y at the top as ×."""
    pts = [(x, y, m) for x, y, m in zip(xs, ys, marks) if x is not None and math.isfinite(x)
           and (not log_x or x > 0)]
    if not pts:
        return ""
    tx = [math.log10(x) if log_x else x for x, _, _ in pts]
    fy = [y for _, y, _ in pts if math.isfinite(y)]
    lo_x, hi_x = min(tx), max(tx)
    lo_y, hi_y = (min(fy), max(fy)) if fy else (0.0, 1.0)
    grid = [[" "] * width for _ in range(height)]
    for t, (_, y, m) in zip(tx, pts):
        col = int(round((t - lo_x) / ((hi_x - lo_x) or 1) * (width - 1)))
        if math.isfinite(y):
            row = height - 1 - int(round((y - lo_y) / ((hi_y - lo_y) or 1) * (height - 1)))
        else:
            row, m = 0, "×"
        if grid[row][col] in (" ", "·"):
            grid[row][col] = m
    lines = [f"{y_label}"]
    for i, row in enumerate(grid):
        label = num(hi_y) if i == 0 else (num(lo_y) if i == height - 1 else "")
        lines.append(f"{label:>9} │" + "".join(row))
    lines.append(" " * 10 + "└" + "─" * width)
    left = num(10 ** lo_x if log_x else lo_x)
    right = num(10 ** hi_x if log_x else hi_x)
    lines.append(" " * 11 + left + " " * max(1, width - len(left) - len(right)) + right)
    lines.append(" " * 11 + x_label + (" (log scale)" if log_x else ""))
    return "\n".join(lines)
