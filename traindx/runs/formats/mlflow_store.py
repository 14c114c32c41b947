"""MLflow's local file store (`mlflow.store.tracking.file_store.FileStore`).

`mlruns/<experiment_id>/meta.yaml` names the experiment; each run is `mlruns/<experiment_id>/<run_id>/`
with `meta.yaml` (run_name, status: 1 running, 2 scheduled, 3 finished, 4 failed, 5 killed;
lifecycle_stage), `params/<key>` (one value as text) and `metrics/<key>` (a key with `/` is a
sub-folder): one line per logged point, `"<timestamp ms> <value> <step>"` (older files: no step,
read as 0). The path may be the store, one experiment, or one run (a run folder given by its own
path is read without its meta.yaml when its metric files are in this line format).
"""
from __future__ import annotations

from pathlib import Path


from ...errors import InputError
from ...safe_io import load_yaml
from .. import register_reader, skip_or_raise
from .common import Collector, build_run, read_text

STATUS = {1: "abrupt", 2: "unknown", 3: "completed", 4: "exception", 5: "interrupted",
          "RUNNING": "abrupt", "FINISHED": "completed", "FAILED": "exception", "KILLED": "interrupted"}


def _is_run(path: Path) -> bool:
    """A run folder: `meta.yaml` and `metrics/`; or, given by its own path, `metrics/` of files
    in MLflow's line format (a store copied without its meta files)."""
    if not (path.is_dir() and (path / "metrics").is_dir()):
        return False
    return (path / "meta.yaml").is_file() or _metric_files(path / "metrics")


def _metric_files(folder: Path) -> bool:
    """Whether the first metric file's first line reads "<timestamp> <value> [<step>]"."""
    first = next((f for f in sorted(folder.iterdir()) if f.is_file()), None)
    if first is None:
        return False
    with open(first, "rb") as fh:
        words = fh.readline(256).split()
    try:
        numbers = [float(w) for w in words]
    except ValueError:
        return False
    return 2 <= len(numbers) <= 3 and numbers[0].is_integer()


def _is_experiment(path: Path) -> bool:
    return path.is_dir() and (path / "meta.yaml").is_file() and any(_is_run(c) for c in path.iterdir())


def _is_store(path: Path) -> bool:
    return path.is_dir() and not (path / "meta.yaml").exists() and any(
        _is_experiment(c) for c in path.iterdir() if c.is_dir() and not c.name.startswith("."))


def sniff(path: Path) -> bool:
    return _is_run(path) or _is_experiment(path) or _is_store(path)


def _meta(path: Path) -> dict:
    try:
        meta = load_yaml(read_text(path / "meta.yaml", "meta.yaml"), path / "meta.yaml")
    except InputError:
        return {}
    return meta if isinstance(meta, dict) else {}


def read_run(path: Path):
    got, notes = Collector(), []
    metrics = path / "metrics"
    for file in sorted(p for p in metrics.rglob("*") if p.is_file()):
        key = file.relative_to(metrics).as_posix()
        try:
            text = read_text(file, "MLflow metric file")
        except InputError as exc:
            notes.append(f"metric {key!r}: {exc.problem}; skipped")
            continue
        for n, line in enumerate(text.splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) not in (2, 3):
                notes.append(f"metric {key!r}: malformed line {n} skipped")
                continue
            try:
                step = int(parts[2]) if len(parts) == 3 else 0
            except ValueError:
                notes.append(f"metric {key!r}: malformed line {n} skipped")
                continue
            got.add(key, step, parts[1], where=f"line {n}")
    meta = _meta(path)
    params = {}
    if (path / "params").is_dir():
        for file in sorted(p for p in (path / "params").rglob("*") if p.is_file()):
            try:
                params[file.relative_to(path / "params").as_posix()] = file.read_text().strip()
            except (OSError, UnicodeDecodeError):
                continue
    info = {"run_name": meta.get("run_name"), "run_id": meta.get("run_id", path.name),
            "experiment_id": meta.get("experiment_id"), "params": params}
    if not got.raw:
        raise InputError(path, "MLflow run with no metrics logged")
    return build_run(path, "mlflow", got.raw, notes=notes + got.notes(), what="metric",
                     meta={k: v for k, v in info.items() if v},
                     ended=STATUS.get(meta.get("status"), "unknown"))


def read(path: Path):
    if _is_run(path):
        return [read_run(path)]
    experiments = [path] if _is_experiment(path) else sorted(
        c for c in path.iterdir() if c.is_dir() and _is_experiment(c))
    runs = []
    for exp in experiments:
        for run_dir in sorted(c for c in exp.iterdir() if _is_run(c)):
            if _meta(run_dir).get("lifecycle_stage") == "deleted":
                continue
            try:
                runs.append(read_run(run_dir))
            except InputError as exc:
                skip_or_raise(exc)
    if not runs:
        raise InputError(path, "MLflow store with no (undeleted) runs")
    return runs


register_reader("mlflow", sniff, read)
