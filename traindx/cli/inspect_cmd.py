"""`traindx inspect CHECKPOINT`: a saved model's weight statistics, and with its code and some
data, probe batches that measure gradient flow and activations as a live run would."""
from __future__ import annotations

from typing import TYPE_CHECKING

import math
import tempfile
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from ..analysis import analyse
from ..diagnose.detectors.weights import SOURCE
from ..diagnose.signals import fmt
from ..errors import InputError
from ..remedies import load_rules
from ..remedies import plan as make_plan
from ..report import document
from ..report import markdown as md
from ..report.charts import log_bars
from ..runs import load_runs
from ..runs.model import Run

if TYPE_CHECKING:
    from ..runs.checkpoint import Checkpoint
from .common import FailOn, Format, Lang, LangOption, RulesFile, console, emit, failing, handles_input_errors

MAX_TABLE_ROWS = 40


def _activation_types(types: dict[str, str]) -> list[str]:
    import torch.nn.modules.activation as acts
    known = set(getattr(acts, "__all__", ())) | {"ReLU", "GELU", "SiLU", "Sigmoid", "Tanh"}
    return sorted({t for t in types.values() if t in known})


def _checkpoint_meta(ck: Checkpoint, types: dict[str, str], code: bool) -> dict:
    meta = {"kind": ck.kind, "tensors": len(ck.state),
            "parameters": int(sum(t.numel() for t in ck.state.values() if t.is_floating_point())),
            **ck.info}
    if code:  # only when the model's code is known do we know its activations
        meta["activation_types"] = _activation_types(types)
    return meta


def _build_run(checkpoint: Path, ck: Checkpoint, model, *, probing: bool, x, y, shape, batches: int,
               batch_size: int, seed: int, out: Optional[Path]) -> Run:
    from ..runs.checkpoint import module_types  # torch: loaded when a checkpoint is inspected
    from ..runs.probe import run_probes
    from ..runs.weights import weight_stats
    types = module_types(model)
    weights = weight_stats(ck.state, types)
    meta = {"checkpoint": _checkpoint_meta(ck, types, model is not None)}
    if not probing:
        meta["param_shapes"] = {n: list(t.shape) for n, t in ck.state.items()}
        return Run(path=str(checkpoint), source_format=f"checkpoint: {ck.kind}", meta=meta,
                   weights=weights, ended="completed", last_step=0)
    with tempfile.TemporaryDirectory(prefix="traindx-inspect-") as tmp:
        where = Path(out) if out else Path(tmp) / "probe"
        run_probes(model, where, x=x, y=y, shape=shape, batches=batches, batch_size=batch_size,
                   seed=seed, meta={"checkpoint_path": str(checkpoint)})
        run = load_runs(where)[0]
    # lr=0 makes the learning rate and the update/weight ratio meaningless: leave them out
    run.scalars.pop("lr", None)
    if run.params is not None:
        run.params.stats.pop("update_ratio", None)
    run.path, run.source_format = str(checkpoint), f"checkpoint: {ck.kind}, {batches} probe batches"
    run.weights = weights
    run.meta.update(meta)
    run.notes.append(f"probe: {batches} forward/backward batches of {batch_size}"
                     f"{' from ' + str(x.shape[0]) + ' samples' if x is not None else ' of random inputs'}"
                     ", lr=0: the weights were not changed")
    return run


def weights_table(weights: dict[str, dict], limit: int = MAX_TABLE_ROWS) -> Table | None:
    rows = [(n, e) for n, e in weights.items() if e.get("role") == "matrix" or e.get("nonfinite")]
    if not rows:
        return None
    t = Table(title="weights (std per tensor, log scale; input side first)", title_justify="left",
              box=None, header_style="bold")
    for c in ("tensor", "shape", "std", "std/He", "std/Xavier", "dead rows", "dup rows", "NaN/Inf", ""):
        t.add_column(c, justify="left" if c in ("tensor", "shape", "") else "right", no_wrap=c == "")
    bars = log_bars([(n, e.get("std", math.nan)) for n, e in rows[:limit]], width=24)
    for (n, e), (_, bar, _) in zip(rows[:limit], bars):
        def cell(key, flag=lambda v: False):
            v = e.get(key)
            text = "" if v is None else (fmt(v) if isinstance(v, float) else str(v))
            return Text(text, style="bold red" if v is not None and flag(v) else "")
        off = lambda r: r > 0 and abs(math.log10(r)) >= 1  # noqa: E731
        t.add_row(n, "x".join(map(str, e["shape"])), cell("std", lambda v: v == 0),
                  cell("he_ratio", off), cell("xavier_ratio", off), cell("dead_rows", bool),
                  cell("duplicate_rows", bool), cell("nonfinite", bool), Text(bar, style="magenta"))
    if len(rows) > limit:
        t.caption = f"... {len(rows) - limit} more tensors (see --format json)"
    return t


def weights_markdown(weights: dict[str, dict], limit: int = MAX_TABLE_ROWS) -> str:
    rows = [(n, e) for n, e in weights.items() if e.get("role") == "matrix" or e.get("nonfinite")]
    if not rows:
        return ""
    lines = ["<details><summary>weights</summary>\n", "| tensor | shape | std | std/He | std/Xavier | "
             "dead rows | dup rows | NaN/Inf |", "|---|---|---|---|---|---|---|---|"]
    for n, e in rows[:limit]:
        vals = [fmt(e[k]) if isinstance(e.get(k), float) else str(e.get(k, "")) for k in
                ("std", "he_ratio", "xavier_ratio", "dead_rows", "duplicate_rows", "nonfinite")]
        lines.append(f"| `{n}` | {'x'.join(map(str, e['shape']))} | " + " | ".join(vals) + " |")
    return "\n".join(lines) + "\n\n</details>\n"


def _drop_repeats(diag) -> bool:
    """A weights finding that a probe finding already makes (same problem, same tensors) is left out."""
    keep = []
    for f in diag.findings:
        if f.evidence.get("source") == SOURCE and any(
                g is not f and g.problem == f.problem and g.evidence.get("source") != SOURCE
                and set(f.layers) <= set(g.layers) for g in diag.findings):
            continue
        keep.append(f)
    dropped = len(keep) != len(diag.findings)
    diag.findings[:] = keep
    return dropped


@handles_input_errors
def inspect_cmd(
    checkpoint: Path = typer.Argument(..., help="A state_dict, full model, Lightning/training checkpoint or TorchScript file."),
    model: Optional[str] = typer.Option(None, "--model", help="module:factory that builds the model "
                                        "(path/to/file.py:make or package.module:make); needed for probes "
                                        "when the checkpoint holds only weights."),
    data: Optional[Path] = typer.Option(None, "--data", help="Probe data: NPZ (x, y), CSV (a 'target'/'label' "
                                        "column is the target) or .pt tensors (x or (x, y))."),
    input_shape: Optional[str] = typer.Option(None, "--input-shape", help="Random probe inputs of this shape "
                                              "per sample, e.g. 1,28,28."),
    target: Optional[str] = typer.Option(None, "--target", help="Name of the target array/column in --data."),
    batches: int = typer.Option(4, "--batches", min=1, max=100, help="Probe batches."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, help="Samples per probe batch."),
    seed: int = typer.Option(0, "--seed", help="Seed for random probe inputs and labels."),
    out: Optional[Path] = typer.Option(None, "--out", help="Keep the probe's run directory here."),
    unsafe_load: bool = typer.Option(False, "--unsafe-load", help="Unpickle the file in full (a pickled "
                                     "model). This RUNS CODE FROM THE FILE: only for files you trust."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="text, json, markdown or github."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 at this severity or above."),
    rules: Optional[Path] = RulesFile,
    lang: Lang = LangOption,
) -> None:
    """Load a saved model safely and check its weights; with --data/--input-shape, run probe batches
    to measure gradient flow and activations."""
    from ..runs.checkpoint import load_checkpoint  # torch: loaded only for this command
    from ..runs.probe import build_model, load_data, parse_shape
    from ..runs.weights import json_safe

    import torch
    probing = data is not None or input_shape is not None
    if data is not None and input_shape is not None:
        raise InputError("--data", "give --data or --input-shape, not both")
    if model is not None and not probing:
        raise InputError("--model", "needs --data FILE or --input-shape to run probe batches")
    shape = parse_shape(input_shape) if input_shape is not None else None
    x, y = load_data(data, target) if data is not None else (None, None)
    ck = load_checkpoint(checkpoint, unsafe=unsafe_load)
    net = ck.module
    if model is not None:
        net = build_model(model, ck.state, str(checkpoint))
    elif probing and net is None:
        raise InputError(checkpoint, f"is a {ck.kind} without the model's code; pass --model module:factory to run probes")
    torch.manual_seed(seed)
    run = _build_run(checkpoint, ck, net, probing=probing, x=x, y=y, shape=shape, batches=batches,
                     batch_size=batch_size, seed=seed, out=out)
    _, diag, plan = analyse(run, {}, rules)
    if _drop_repeats(diag):
        plan = make_plan(diag.findings, load_rules(rules), profile=diag.profile)
    if not probing:  # say once what would measure the rest, instead of "no train_loss" per detector
        waiting = [s.detector for s in diag.skipped if s.reason.startswith("no ")]
        diag.skipped[:] = [s for s in diag.skipped if not s.reason.startswith("no ")]
        how = ("" if ck.module is not None else "--model module:factory with ") + "--data FILE or --input-shape"
        if waiting:
            run.notes.append(f"gradient flow and activations not measured: run probe batches ({how}) "
                             f"for {len(waiting)} more detectors ({', '.join(waiting)})")
    if format == Format.json:
        doc = document.build(run, diag, plan)
        doc["checkpoint"] = document._clean(run.meta.get("checkpoint", {}))
        doc["weights"] = document._clean(json_safe(run.weights or {}))
        print(document.dumps(doc))
    elif format == Format.markdown:
        print(md.report(run, diag, plan, lang.value) + weights_markdown(run.weights or {}))
    else:
        emit([(run, diag, plan)], format, lang=lang)
        table = weights_table(run.weights or {}) if format == Format.text else None
        if table is not None:
            con = console()
            con.print()
            con.print(table)
    if failing([diag], fail_on):
        raise typer.Exit(1)
