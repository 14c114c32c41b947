"""Guarantee: traindx never kills the training. An exception inside the recorder disables that
part with one warning and the training goes on, unchanged; a full disk or an unwritable output
directory stops the recording, not the training. A second run never overwrites a run directory."""
from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

import traindx.record.recorder as recorder_mod
from conftest import ROOT
from traindx.cli import app
from traindx.record import Recorder
from traindx.record.script import run_script
from traindx.runs import load_runs

TINY = ROOT / "tests" / "robustness" / "tiny_train.py"


def plain_run(out: Path) -> dict:
    """The same script without traindx, in this process."""
    old = sys.argv[:]
    sys.argv = [str(TINY), str(out)]
    try:
        runpy.run_path(str(TINY), run_name="__main__")
    finally:
        sys.argv = old
    return torch.load(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return plain_run(tmp_path_factory.mktemp("plain") / "plain.pt")


def traindx_run(*args: str):
    res = CliRunner().invoke(app, ["run", *args], catch_exceptions=True)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res


def same(a: dict, b: dict) -> bool:
    return all(torch.equal(a["tiny"]["state"][k], b["tiny"]["state"][k]) for k in a["tiny"]["state"]) \
        and torch.equal(a["tiny"]["losses"], b["tiny"]["losses"])


def _boom(*args, **kwargs):
    raise RuntimeError("injected failure")


# part of the recorder that fails -> the part named in the warning
FAILURES = {
    "param_stats": "parameter statistics",
    "update_norms": "parameter statistics",
    "activation_raw": "activations",
    "input_stats": "activations",
    "_to_floats": "flush",
    "Recorder._accuracy": "loss capture",
    "Recorder._end_step": "step",
    "Recorder._track_optimizer": "step",
    "Recorder._add_root": "activations",
}


@pytest.mark.parametrize("target", list(FAILURES))
def test_a_failing_hook_disables_itself_once_and_training_goes_on(tmp_path, monkeypatch, reference, target):
    owner = recorder_mod
    attr = target
    if target.startswith("Recorder."):
        owner, attr = recorder_mod.Recorder, target.split(".", 1)[1]
    monkeypatch.setattr(owner, attr, _boom)
    out = tmp_path / "traced.pt"
    res = traindx_run("--out", str(tmp_path / "run"), "--format", "json", str(TINY), str(out))
    assert res.exit_code == 0, res.stderr
    assert "done 30" in res.stdout  # every step ran
    warnings = [l for l in res.stderr.splitlines() if "disabled after an error" in l]
    assert len(warnings) == 1, res.stderr  # said once, though the hook fires at every step
    assert warnings[0].startswith(f"traindx: {FAILURES[target]} disabled") and "training goes on" in warnings[0]
    assert same(reference, torch.load(out))  # and the numerics are untouched
    run = load_runs(tmp_path / "run")[0]  # the run directory is still readable and diagnosable
    assert any("injected failure" in n for n in run.notes)


def test_log_with_bad_arguments_never_raises(tmp_path):
    res = traindx_run("--out", str(tmp_path / "run"), str(TINY), str(tmp_path / "t.pt"))
    assert res.exit_code == 0, res.stderr  # the script exits 7 if traindx.log raised
    assert res.stderr.count("traindx.log:") == 1, res.stderr  # said once, though called 3 times
    assert "disabled" not in res.stderr  # a wrong call does not switch logging off
    run = load_runs(tmp_path / "run")[0]
    assert set(run.scalars["eval_loss"].steps) == {10, 20, 30}  # every call's good metric was kept


def _recorded_training(run_dir: Path, tmp_path: Path):
    """What `traindx run` does, on a directory prepared beforehand (no fresh-name choice)."""
    rec = Recorder(run_dir, every=1, flush_every=5)
    result = run_script(TINY, [str(tmp_path / "t.pt")], rec)
    return result, rec


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("full", [("scalars", "params"), ("events", "scalars", "params", "activations")])
def test_disk_full_stops_the_recording_not_the_training(tmp_path, capfd, reference, full):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    for name in full:
        (run_dir / f"{name}.jsonl").symlink_to("/dev/full")
    result, rec = _recorded_training(run_dir, tmp_path)
    err = capfd.readouterr().err
    assert result.status == "completed" and result.exit_code == 0
    assert same(reference, torch.load(tmp_path / "t.pt"))
    assert rec.writer.broken and "No space left" in rec.writer.broken
    assert err.count("recording stopped, training goes on") == 1, err


def test_unwritable_output_directory(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    res = traindx_run("--out", str(blocker / "run"), str(TINY), str(tmp_path / "t.pt"))
    assert "done 30" in res.stdout  # the training ran to the end
    assert res.exit_code == 2
    assert res.stderr.count("training goes on") == 1
    assert res.stderr.strip().splitlines()[-1].startswith("traindx: error: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_output_directory(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        res = traindx_run("--out", str(ro / "run"), str(TINY), str(tmp_path / "t.pt"))
    finally:
        ro.chmod(0o700)
    assert "done 30" in res.stdout and res.exit_code == 2


def test_an_existing_run_directory_is_never_overwritten(tmp_path):
    out = tmp_path / "run"
    first = traindx_run("--out", str(out), str(TINY), str(tmp_path / "a.pt"), "12")
    assert first.exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    second = traindx_run("--out", str(out), str(TINY), str(tmp_path / "b.pt"), "5")
    assert second.exit_code == 0
    assert f"{out} already holds a run; this run goes to {out}-2" in second.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    assert load_runs(out)[0].last_step == 12 and load_runs(tmp_path / "run-2")[0].last_step == 5
    # a directory with unrelated files is not a place to write either
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    third = traindx_run("--out", str(tmp_path / "mine"), str(TINY), str(tmp_path / "c.pt"), "3")
    assert "this run goes to" in third.stderr and (tmp_path / "mine-2" / "events.jsonl").exists()
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]
