"""Guarantee: multi-process training works. `torchrun --nproc_per_node=2 -m traindx run` on a
DistributedDataParallel script (gloo, CPU): every rank records its own files into one run directory
without any collective of its own (no deadlock), rank 0 prints the merged diagnosis, and a problem
that starts on one rank only is found and named by rank."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ROOT, json_tail
from traindx.cli import app
from traindx.record.writer import RunWriter

SCRIPT = ROOT / "tests" / "robustness" / "train_ddp.py"


@pytest.fixture(scope="module")
def ddp_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ddp")
    taken = tmp / "run"  # an earlier run already lives here: all ranks must move to run-2 together
    w = RunWriter(taken)
    w.event("start", traindx_run_schema=1)
    w.close()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "TORCHELASTIC_RUN_ID"):
        env.pop(k, None)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "traindx", "run", "--out", str(taken), "--format", "json", str(SCRIPT), "--nan-rank", "1"]
    proc = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, timeout=180)
    return proc, tmp


def test_torchrun_records_every_rank_in_one_directory(ddp_run):
    proc, tmp = ddp_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rank 0 done" in proc.stdout and "rank 1 done" in proc.stdout
    run = tmp / "run-2"
    assert sorted(p.name for p in run.glob("events*.jsonl")) == ["events.rank0.jsonl", "events.rank1.jsonl"]
    assert sorted(p.name for p in (tmp / "run").iterdir()) == ["events.jsonl"]  # the old run, untouched
    assert not (tmp / "run-3").exists()  # the ranks did not split across directories
    doc = json_tail(proc.stdout)
    assert doc["run"]["ended"] == "completed" and doc["run"]["steps"] == 12
    assert {"train_loss", "rank1/train_loss"} <= set(doc["run"]["signals"])


def test_a_nan_on_one_rank_is_found_and_named_by_rank(ddp_run):
    proc, tmp = ddp_run
    doc = json_tail(proc.stdout)
    nf = [f for f in doc["findings"] if f["problem"] == "non_finite"]
    assert nf and nf[0]["severity"] == "error"
    assert nf[0]["layers"][0].startswith("rank1/"), nf[0]  # it started on rank 1
    assert nf[0]["evidence"]["first_step"] == 6  # the 6th step is the first with NaN inputs
    # the saved report and a later `traindx diagnose` agree
    again = CliRunner().invoke(app, ["diagnose", str(tmp / "run-2"), "--format", "json"])
    assert json.loads(again.stdout)["findings"] == doc["findings"]


def test_a_rank_without_end_record_reads_as_abrupt(ddp_run, tmp_path):
    _, tmp = ddp_run
    run = tmp_path / "run"
    shutil.copytree(tmp / "run-2", run)
    ev = run / "events.rank1.jsonl"
    ev.write_text("".join(l for l in ev.read_text().splitlines(True) if '"event": "end"' not in l))
    res = CliRunner().invoke(app, ["diagnose", str(run), "--format", "json"])
    doc = json.loads(res.stdout)
    assert doc["run"]["ended"] == "abrupt"
    assert any("rank(s) 1 wrote no end record" in n for n in doc["run"]["notes"])


@pytest.mark.slow
def test_stop_on_stops_every_rank_at_the_same_step_without_a_collective(tmp_path):
    """A NaN on rank 1 from step 20; the first flush (5 s) raises the alert and the first rank to
    see it writes stop.json naming a step 16 ahead, which each rank reads every 8 steps."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "TORCHELASTIC_RUN_ID"):
        env.pop(k, None)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "traindx", "run", "--stop-on", "error", "--out", str(tmp_path / "run"), "--format", "json",
           str(SCRIPT), "--steps", "800", "--sleep", "0.015", "--nan-rank", "1", "--nan-step", "20"]
    proc = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    ends = [json.loads(line) for f in sorted((tmp_path / "run").glob("events.rank*.jsonl"))
            for line in f.read_text().splitlines() if '"event": "end"' in line]
    assert [e["status"] for e in ends] == ["stopped", "stopped"], proc.stderr[-3000:]
    assert ends[0]["step"] == ends[1]["step"] < 800
    assert json.loads((tmp_path / "run" / "stop.json").read_text())["step"] == ends[0]["step"]
    assert "rank 0 done" not in proc.stdout  # the script did not run to its end
