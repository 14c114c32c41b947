"""`traindx train CONFIG.yaml`: train a model described in YAML, record it, diagnose it;
`--try-remedies` re-trains with each suggested remedy and shows which one fixes the problem."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import InputError
from ..record.writer import unique_dir
from ..remedies import load_rules
from ..report import document
from ..safe_io import load_yaml
from .common import (BayesError, FailOn, Format, HumanError, Lang, LangOption, RulesFile, TestError, console,
                     context, emit, failing, handles_input_errors)


def parse_sets(sets: list[str] | None) -> dict:
    """`--set training.lr=0.01` -> {"training.lr": 0.01} (values read as YAML scalars/lists)."""
    out = {}
    for item in sets or []:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise InputError("--set", f"expected KEY=VALUE, got {item!r}")
        out[key.strip()] = load_yaml(value, f"--set {key.strip()}") if value.strip() else None
    return out


def load_config(path: Path, sets: list[str] | None = None, epochs: int | None = None,
                seed: int | None = None) -> dict:
    from ..train import config as C
    cfg = C.load(path)
    changes = parse_sets(sets)
    if epochs is not None:
        changes["training.epochs"] = epochs
    if seed is not None:
        changes["seed"] = seed
    return C.patch(cfg, changes, "--set") if changes else cfg


def set_threads(threads: int) -> None:
    import torch
    torch.set_num_threads(max(1, threads))


@handles_input_errors
def train_cmd(
    config: Path = typer.Argument(..., help="The YAML config (see docs/trainer.md and examples/configs/)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Run directory (default runs/train-<config>); never overwritten."),
    try_remedies: bool = typer.Option(False, "--try-remedies", help="Re-train with each suggested remedy (a config patch) and show which one fixes the problem."),
    per_problem: int = typer.Option(3, "--per-problem", min=1, help="With --try-remedies: remedies tried per problem (the table's top rows with a config patch)."),
    trial_epochs: Optional[int] = typer.Option(None, "--trial-epochs", min=1, help="With --try-remedies: epochs per trial (default: the config's)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Trials trained in parallel (default: up to 2, the cores available)."),
    sets: Optional[List[str]] = typer.Option(None, "--set", help="Override a config key: --set training.lr=0.01 (repeatable)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Override training.epochs."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Override the seed."),
    every: Optional[int] = typer.Option(None, "--every", help="Per-layer statistics every N steps (default: record.every)."),
    threads: int = typer.Option(1, "--threads", min=1, help="torch CPU threads (small models train fastest on one)."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown or github."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when problems reach this severity."),
    bayes_error: Optional[float] = BayesError, human_error: Optional[float] = HumanError,
    test_error: Optional[float] = TestError, rules: Optional[Path] = RulesFile,
    lang: Lang = LangOption,
) -> None:
    """Train the model a YAML config describes (with a progress bar), record it like `traindx run`
    does, and print the diagnosis with evaluation metrics (accuracy, precision, recall, confusion)."""
    from ..train import data as datamod
    from ..train import remedies as R
    from ..train import view
    from ..train.trainer import diagnose, problems, train

    cfg = load_config(config, sets, epochs, seed)
    if every is not None and every < 1:
        raise InputError("--every", f"must be at least 1, got {every}")
    ctx = context(bayes_error, human_error, test_error)
    if "bayes_error" not in ctx and cfg["data"]["bayes_error"] is not None:
        ctx["bayes_error"] = cfg["data"]["bayes_error"]
    rule_table = load_rules(rules)
    set_threads(threads)
    path = unique_dir(out or Path("runs") / f"train-{config.stem}")
    err = console(stderr=True)
    text = format == Format.text
    con = console()
    started = time.monotonic()

    k = cfg["data"]["folds"]
    with view.progress(err) as bar:
        if k > 1:
            raw = datamod.make(cfg)
            raw = raw.subset(cfg["data"]["n_train"])
            results = [train(cfg, path / f"fold-{i}", data=fold, every=every,
                             progress=view.epoch_callback(bar, f"fold {i}/{k}", cfg["training"]["epochs"]))
                       for i, fold in enumerate(datamod.folds(raw, k, cfg["seed"]), 1)]
        else:
            results = [train(cfg, path, every=every,
                             progress=view.epoch_callback(bar, f"training {config.name}", cfg["training"]["epochs"]))]
    analysed = [diagnose(r, rules, ctx) for r in results]
    run, diag, plan = analysed[0]
    result = results[0]

    trials: list = []
    found = problems(diag)
    if try_remedies and found:
        n_jobs = jobs or R.default_jobs()
        cands = R.candidates(found, rule_table, per_problem)
        with view.progress(err) as bar:
            task = bar.add_task("trying remedies", total=len(cands), info="") if bar else None

            def done(trial) -> None:
                if bar is not None:
                    bar.update(task, advance=1, info=trial.name)
            base = dict(cfg, data=dict(cfg["data"], folds=0))
            trials = R.run_trials(base, found, path / "remedies", rules=rule_table, rules_file=rules,
                                  ctx=ctx, per_problem=per_problem, epochs=trial_epochs, jobs=n_jobs,
                                  on_done=done)
        plan = R.verified_plan(plan, trials, found, diag.findings, result.metrics, rule_table)
        analysed[0] = (run, diag, plan)

    for (r, d, p), res in zip(analysed, results):
        try:
            doc = document.build(r, d, p)
            doc["trainer"] = trainer_doc(res, trials if res is result else [])
            (res.path / "report.json").write_text(document.dumps(document._clean(doc)) + "\n")
        except OSError as exc:
            print(f"traindx: could not save {res.path / 'report.json'} ({exc.strerror})", file=sys.stderr)

    if format == Format.json:
        docs = []
        for (r, d, p), res in zip(analysed, results):
            doc = document.build(r, d, p)
            doc["trainer"] = trainer_doc(res, trials if res is result else [])
            docs.append(document._clean(doc))
        print(document.dumps(docs[0] if len(docs) == 1 else docs))
    else:
        if text:
            con.print(view.metrics_table(result.metrics))
            if result.metrics.get("val_confusion") and len(result.metrics["val_confusion"]) <= 12:
                con.print(view.confusion_table(result.metrics["val_confusion"]))
            if k > 1:
                con.print(fold_summary(results))
            con.print()
        emit(analysed, format, lang=lang)
        if text and trials:
            best = {p: b for p in found if (b := R.best_for(trials, p, result.metrics)) is not None}
            con.print()
            con.print(view.trials_table(trials, found, result.metrics, best))
            for p in found:
                b = best.get(p)
                if b is None:
                    line = "no remedy tried fixed it or improved the held-out metric"
                else:
                    how = "fixed" if b.fixes(p) else "improved, still flagged"
                    change = R.metric_change(b, result.metrics)
                    line = f"{how} by {b.name}" + (f" ({change})" if change else "")
                con.print(f"{p}: {line}", markup=False, highlight=False)
        if text:
            con.print(f"run directory: {path}  (traindx diagnose {path})  "
                      f"[{time.monotonic() - started:.1f}s]", markup=False, highlight=False)
    if failing([d for _, d, _ in analysed], fail_on):
        raise typer.Exit(1)


def trainer_doc(result, trials: list) -> dict:
    return {"config": result.config, "metrics": result.metrics,
            "remedy_trials": [t.to_dict() for t in trials]}


def fold_summary(results: list) -> str:
    vals = [r.metrics.get("val_loss") for r in results]
    accs = [r.metrics.get("val_acc") for r in results if r.metrics.get("val_acc") is not None]
    line = f"{len(results)}-fold cross-validation: val loss {statistics.mean(vals):.3g} ± {statistics.pstdev(vals):.2g}"
    if accs:
        line += f", val accuracy {statistics.mean(accs):.1%} ± {statistics.pstdev(accs):.1%}"
    return line
