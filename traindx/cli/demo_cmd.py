"""`traindx demo`: no arguments, no files, no network. Trains small built-in models on built-in
data (one healthy, four broken), shows what traindx finds in each, and proves a remedy for two of
them by re-training with it."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from .common import console, handles_input_errors

# (built-in config, the problem it is built to show, one line on what is wrong with it)
DEMOS = [
    ("healthy", None, "ReLU MLP, He init, Adam on three spirals"),
    ("overfitting", "overfitting", "wide MLP, 64 examples with 20% wrong labels, 60 epochs"),
    ("vanishing", "vanishing_gradients", "8 sigmoid layers, default init, plain SGD"),
    ("exploding", "exploding_gradients", "6 ReLU layers initialised with std 0.5, plain SGD"),
    ("stuck", "non_convergence", "tanh MLP, plain SGD with lr 1e-4"),
]
VERIFY = ("vanishing", "overfitting")  # configs whose headline problem gets its remedies re-trained


@handles_input_errors
def demo_cmd(
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Keep the recorded runs in this directory (default: a temporary one, removed at the end)."),
    verify: bool = typer.Option(True, "--verify/--no-verify", help="Re-train with the remedies of two problems to show which one fixes them."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Trainings in parallel for the remedy trials (default: up to 2)."),
) -> None:
    """The built-in tour: train one healthy and four broken models (overfitting, vanishing and
    exploding gradients, non-convergence), diagnose each, and verify remedies by re-training."""
    from ..train import builtin_config, view
    from ..train import remedies as R
    from ..train.trainer import diagnose, train
    from .train_cmd import set_threads

    set_threads(1)
    con, err = console(), console(stderr=True)
    started = time.monotonic()
    root = Path(out) if out else Path(tempfile.mkdtemp(prefix="traindx-demo-"))
    root.mkdir(parents=True, exist_ok=True)
    con.print(Text("traindx demo", style="bold") + Text(f": {len(DEMOS)} small trainings on built-in "
                                                         "data, each recorded and diagnosed", style="dim"))
    results = {}
    try:
        with view.progress(err) as bar:
            total = sum(builtin_config(n)["training"]["epochs"] for n, _, _ in DEMOS)
            task = bar.add_task("demo trainings", total=total, info="") if bar else None
            done = 0
            for name, expect, what in DEMOS:
                cfg = builtin_config(name)

                def tick(epoch, epochs, row, _base=done, _name=name):
                    if bar is not None:
                        bar.update(task, completed=_base + epoch, info=_name)
                res = train(cfg, root / name, progress=tick)
                done += cfg["training"]["epochs"]
                run, diag, _ = diagnose(res)
                results[name] = (cfg, res, diag)
                _show(con, name, expect, what, res, diag)

        if verify:
            _verify(con, err, root, results, jobs or R.default_jobs())
    finally:
        elapsed = time.monotonic() - started
        if out is None:
            shutil.rmtree(root, ignore_errors=True)
    con.print()
    where = f"runs kept in {root} (traindx diagnose {root / 'vanishing'})" if out else \
        "rerun with --out DIR to keep the runs"
    con.print(f"demo finished in {elapsed:.1f}s; {where}", markup=False, highlight=False)
    con.print("next: traindx train examples/configs/vanishing.yaml --try-remedies", markup=False,
              highlight=False)


def _show(con, name: str, expect: str | None, what: str, res, diag) -> None:
    from ..train.trainer import problems
    from ..train.view import pct
    found = problems(diag)
    m = res.metrics
    ok = (expect is None and not found) or (expect in found)
    head = Text("\n")
    head += Text("✔ " if ok else "✘ ", style="green" if ok else "red")
    head += Text(name, style="bold") + Text(f"  ({what})", style="dim")
    con.print(head)
    con.print(f"  trained {m['epochs_run']} epochs, {m['steps']} steps: train acc {pct(m.get('train_acc'))}, "
              f"val acc {pct(m.get('val_acc'))}", markup=False, highlight=False)
    if not diag.judged:
        con.print(Text("  not judged: " + "; ".join(diag.not_judged_reasons), style="yellow"))
    elif not diag.findings or not found:
        con.print(Text("  healthy: no problems found", style="green"))
    for f in diag.findings:
        if f.severity.rank < 1:
            continue
        style = {"error": "bold red", "warning": "yellow"}[f.severity.value]
        line = Text(f"  {f.severity.value:<7} ", style=style) + Text(f.problem, style="bold") + \
            Text(f": {f.summary}")
        con.print(line)


def _verify(con, err, root: Path, results: dict, jobs: int) -> None:
    from ..train import remedies as R
    from ..train import view
    targets = [(n, e) for n, e, _ in DEMOS if n in VERIFY]
    cands = sum(len(R.candidates([e])) for _, e in targets)
    con.print()
    con.print(Text("Verifying remedies by re-training", style="bold") +
              Text(f" ({cands} trials, {jobs} at a time)", style="dim"))
    with view.progress(err) as bar:
        task = bar.add_task("remedy trials", total=cands, info="") if bar else None

        def tick(trial):
            if bar is not None:
                bar.update(task, advance=1, info=trial.name)
        trials = {n: R.run_trials(results[n][0], [e], root / n / "remedies", jobs=jobs, on_done=tick)
                  for n, e in targets}
    t = Table(box=None, header_style="bold", pad_edge=False)
    for c in ("config", "problem", "remedy (config patch)", "still there?", "val acc", "verdict"):
        t.add_column(c, justify="right" if c == "val acc" else "left")
    for name, expect in targets:
        before = results[name][1].metrics
        best = R.best_for(trials[name], expect, before)
        t.add_row(name, expect, "as configured", "-", view.pct(before.get("val_acc")), Text("baseline", style="dim"))
        for trial in sorted(trials[name], key=lambda x: x.score(before)):
            v = R.verdict(trial, expect, before)
            style = view.verdict_style(v)
            t.add_row("", "", view.short_patch(trial.name), "no" if trial.fixes(expect) else "yes",
                      view.pct(trial.metrics.get("val_acc")),
                      Text(v + ("  ★ best" if trial is best else ""), style=style))
    con.print(t)
    for name, expect in targets:
        best = R.best_for(trials[name], expect, results[name][1].metrics)
        if best is None:
            msg = f"{expect}: no remedy fixed it in this budget"
        else:
            state = "finding gone" if best.fixes(expect) else f"{expect} still flagged"
            msg = (f"{expect}: ★ best remedy → {best.name} "
                   f"({R.metric_change(best, results[name][1].metrics)}; {state})")
        con.print(Text("  " + msg, style="green" if best else "yellow"))
