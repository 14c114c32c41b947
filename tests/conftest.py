"""Shared test helpers: run traindx as a user would, in a subprocess, on a script."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
torch.set_num_threads(1)

# the slowest trainings of older rounds, whose claims the corpus (`benchmarks/corpus.py`) also
# checks: run with TRAINDX_FULL_TESTS=1; CI leaves them out to stay well under ten minutes
FULL = bool(os.environ.get("TRAINDX_FULL_TESTS"))
full_only = pytest.mark.skipif(not FULL, reason="TRAINDX_FULL_TESTS=1 runs it")


def traindx(*args: str, cwd: Path | None = None, timeout: float = 180,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m traindx ARGS...` in a subprocess (with `env`'s variables added); text output captured."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}
    return subprocess.run([sys.executable, "-m", "traindx", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def json_tail(stdout: str) -> dict | list:
    """The JSON document that follows the script's own output on stdout."""
    start = stdout.index("\n{") + 1 if not stdout.startswith("{") else 0
    return json.loads(stdout[start:])


def problems(doc: dict, min_rank: int = 1) -> set[str]:
    ranks = {"error": 2, "warning": 1, "info": 0}
    return {f["problem"] for f in doc["findings"] if ranks[f["severity"]] >= min_rank}


@pytest.fixture
def run_script(tmp_path):
    """Run an example script under `traindx run --format json`; returns (process, document)."""
    def go(script: str, *args: str, extra: tuple[str, ...] = ()):
        out = tmp_path / Path(script).stem
        proc = traindx("run", "--out", str(out), "--format", "json", *extra, str(ROOT / script), *args)
        doc = json_tail(proc.stdout) if "{" in proc.stdout else None
        return proc, doc, out
    return go
