"""Guarantee: crash-safe logs. A recorded training killed with SIGKILL at random moments leaves a
run directory that is always readable; `traindx diagnose` works and says the run ended abruptly at
step N (the last step that reached the disk)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from conftest import ROOT, traindx
from traindx.cli import app

HARNESS = ROOT / "tests" / "robustness" / "kill_harness.py"
KILLS = 8


def last_step_on_disk(run: Path) -> int:
    """The highest step among the complete scalar records: what the report must call step N."""
    best = 0
    for line in (run / "scalars.jsonl").read_bytes().split(b"\n") if (run / "scalars.jsonl").exists() else []:
        try:
            rec = json.loads(line)
            steps = rec["steps"] if "steps" in rec else [rec["first"] + len(rec["values"]) - 1]
            best = max([best, *steps])
        except (ValueError, KeyError, TypeError):
            continue  # the line a kill cut short
    return best


def test_kill_9_at_random_moments_leaves_a_diagnosable_run(tmp_path):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, str(HARNESS), str(tmp_path), str(KILLS), "8"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("killed") == KILLS, proc.stdout
    steps = []
    for i in range(KILLS):
        run = tmp_path / f"run{i}"
        res = CliRunner().invoke(app, ["diagnose", str(run), "--format", "json"])
        assert res.exit_code == 0, (run, res.stderr, res.exception)
        doc = json.loads(res.stdout)
        n = last_step_on_disk(run)
        assert doc["run"]["ended"] == "abrupt", doc["run"]
        assert doc["run"]["steps"] == n
        text = CliRunner().invoke(app, ["diagnose", str(run)], env={"NO_COLOR": "1", "COLUMNS": "200"})
        assert f"ended abruptly (killed or crashed) at step {n})" in text.stdout, text.stdout[:400]
        steps.append(n)
    assert max(steps) > 0  # most kills land mid-training, after something reached the disk
    # and as a user would run it, in its own process
    final = traindx("diagnose", str(tmp_path / f"run{steps.index(max(steps))}"))
    assert final.returncode == 0 and "ended abruptly" in final.stdout, final.stderr
