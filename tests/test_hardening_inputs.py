"""Issue 17, "fix first": inputs that used to weaken a gate or lose data silently. Each test
reproduces the defect as a user meets it; a policy that cannot be read, a threshold that would
switch a detector off, a log with a duplicated column or steps beyond 2**62, and a bad
traindx.log() value are each refused or noted, never silently dropped."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest
import torch
from typer.testing import CliRunner

from traindx.cli import app
from traindx.errors import InputError
from traindx.policy import resolve, validate
from traindx.record import Recorder
from traindx.runs import load_runs

runner = CliRunner()


def _rising_log(folder):
    """A CSV log whose loss climbs: `check` finds problems in it (exit 1 at the defaults)."""
    path = folder / "train.csv"
    path.write_text("step,loss\n" + "".join(f"{i},{1.0 + i * 0.5}\n" for i in range(60)))
    return path


def _record_mlp(out, steps: int, flush_every: int = 200) -> None:
    """A small real training recorded in-process, with statistics on every step."""
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    rec = Recorder(out, every=1, flush_every=flush_every).start()
    try:
        for _ in range(steps):
            loss = torch.nn.functional.cross_entropy(model(torch.randn(8, 4)), torch.randint(0, 2, (8,)))
            opt.zero_grad()
            loss.backward()
            opt.step()
    finally:
        rec.stop()


@pytest.mark.parametrize("pyproject", [
    '[tool.traindx]\nfail_on = "never"\n[tool.traindx]\nfail_on = "never"\n',  # duplicate table
    '[tool.traindx\nfail_on = "never"\n',                                        # syntax error
    '[tool]\ntraindx = "warning"\n',                                             # not a table
])
def test_a_pyproject_policy_that_cannot_be_read_is_an_error(tmp_path, monkeypatch, pyproject):
    log = _rising_log(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["check", str(log)]).exit_code == 1  # no policy: problems found
    (tmp_path / "pyproject.toml").write_text(pyproject)
    result = runner.invoke(app, ["check", str(log)])
    assert result.exit_code == 2, result.output
    assert "pyproject.toml" in result.output and "Traceback" not in result.output


def test_a_pyproject_without_traindx_is_not_a_policy(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project\nname = "broken but not ours"\n')
    assert resolve(start=tmp_path) == ({"ignore": [], "severity": {}, "thresholds": {}, "map": {}},
                                       None)


@pytest.mark.parametrize("thresholds, message", [
    ({"vanishing_gradients": {"orders": math.nan}}, "finite"),
    ({"vanishing_gradients": {"orders": -1.0}}, ">= 0"),
    ({"overfitting": {"patience": 0}}, "whole number"),
    ({"overfitting": {"patience": 2.5}}, "whole number"),
    ({"dead_units": {"dead_frac": 5}}, "at most 1"),
])
def test_thresholds_are_range_checked(thresholds, message):
    with pytest.raises(InputError, match=message):
        validate({"thresholds": thresholds})


def test_a_nested_ignore_list_is_an_error_not_a_traceback():
    with pytest.raises(InputError, match="unknown problem"):
        validate({"ignore": [["overfitting"]]})


def test_a_csv_with_a_duplicated_column_is_refused(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("step,loss,loss\n" + "".join(f"{i},1.0,{9 - i}\n" for i in range(9)))
    result = runner.invoke(app, ["diagnose", str(path)])
    assert result.exit_code == 2 and "appears more than once" in result.output
    assert "Traceback" not in result.output


def test_steps_beyond_2_62_are_said_not_silently_dropped(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("step,loss\n" + "".join(f"{2 ** 62 + i},{1.0 + i}\n" for i in range(20)))
    (run,) = load_runs(path)
    assert any("beyond 2**62" in n for n in run.notes)
    result = runner.invoke(app, ["diagnose", str(path)])
    assert "healthy" not in result.output  # nothing on the axis: not judged, never a green check


def test_one_bad_log_value_is_dropped_and_recording_goes_on(tmp_path, capsys):
    model = torch.nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    rec = Recorder(tmp_path / "run", flush_every=2).start()
    try:
        for step in range(10):
            loss = torch.nn.functional.mse_loss(model(torch.randn(8, 3)), torch.zeros(8, 1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step == 3:
                rec.log(samples_seen=10 ** 400)  # does not fit a float
            rec.log(val_loss=1.0 / (step + 1))
    finally:
        rec.stop()
    assert "fits a float" in capsys.readouterr().err
    (run,) = load_runs(tmp_path / "run")
    assert len(run.series("eval_loss")) == 10 and len(run.series("train_loss")) == 10
    assert "samples_seen" not in run.scalars
    assert not any("disabled" in n for n in run.notes)


TINY = """
import torch
m = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
for _ in range(12):
    loss = torch.nn.functional.mse_loss(m(torch.randn(4, 2)), torch.zeros(4, 1))
    opt.zero_grad(); loss.backward(); opt.step()
"""


@pytest.mark.parametrize("name, value", [("RANK", "abc"), ("WORLD_SIZE", "0"), ("RANK", "3"),
                                          ("TRAINDX_RANK_WAIT", "abc")])
def test_a_bad_launch_variable_is_one_line_before_anything_starts(tmp_path, name, value):
    (tmp_path / "train.py").write_text(TINY)
    env = {**os.environ, name: value, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "traindx", "run", "train.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"${name}" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "runs").exists()  # nothing claimed, no stale launch file


def test_a_run_id_from_the_environment_cannot_climb_out_of_runs(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "train.py").write_text(TINY)
    env = {**os.environ, "TORCHELASTIC_RUN_ID": "x/../../../ESC", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "traindx", "run", "--format", "json", "train.py"],
                          cwd=tmp_path / "work", env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    runs = list((tmp_path / "work" / "runs").iterdir())
    assert len(runs) == 1 and (runs[0] / "events.jsonl").is_file()
    assert not (tmp_path / "ESC").exists() and not any(p.name == "ESC" for p in tmp_path.rglob("ESC"))


def test_no_line_of_the_github_format_can_be_started_by_a_run_name(tmp_path):
    log = tmp_path / "r\n::warning::INJECTED.csv"
    log.write_text("step,loss\n" + "".join(f"{i},{1.0 + i * 0.5}\n" for i in range(60)))
    result = runner.invoke(app, ["check", "--format", "github", str(log)])
    lines = result.output.splitlines()
    assert not any(line.startswith("::warning::INJECTED") for line in lines), lines
    assert any(line.startswith("::error ") for line in lines)  # traindx's own annotations remain


def _bomb() -> str:
    """The "billion laughs": nine levels of nine aliases, 9**9 values once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["policy", "rules", "config"])
def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path, monkeypatch, where):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_bomb())
    log = _rising_log(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = {"policy": ["check", "--config", str(bomb), str(log)],
            "rules": ["diagnose", "--rules", str(bomb), str(log)],
            "config": ["train", str(bomb)]}[where]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "alias bomb" in result.output and "Traceback" not in result.output


def test_deep_nesting_is_one_line_and_a_folder_check_goes_on(tmp_path):
    state = tmp_path / "bad" / "trainer_state.json"
    state.parent.mkdir()
    state.write_text('{"log_history": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = runner.invoke(app, ["diagnose", str(state)])
    assert result.exit_code == 2 and "nested too deeply" in result.output
    _rising_log(tmp_path)
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 1, result.output  # the good log was checked: it has problems
    assert "1 run(s) checked" in result.output


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("args", [["inspect", "{z}.pt"], ["diagnose", "{z}.csv"],
                                  ["train", "{z}.yaml"], ["diagnose", "--rules", "{z}.yaml", "{log}"]])
def test_a_link_to_an_endless_device_is_refused_not_read(tmp_path, monkeypatch, args):
    for ext in (".pt", ".csv", ".yaml"):
        (tmp_path / f"zero{ext}").symlink_to("/dev/zero")
    log = _rising_log(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = [a.format(z=tmp_path / "zero", log=log) for a in args]
    proc = subprocess.run([sys.executable, "-m", "traindx", *argv], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def _cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "traindx", *args], capture_output=True, text=True,
                          timeout=120, **kw)


def test_an_ascii_terminal_gets_the_report_not_a_unicode_error(tmp_path):
    log = _rising_log(tmp_path)
    proc = _cli("diagnose", str(log), env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr  # warnings found and reported (diagnose exits 0)
    assert "Traceback" not in proc.stderr and "problems" in proc.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_to_a_full_device_is_one_line(tmp_path):
    log = _rising_log(tmp_path)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "traindx", "diagnose", str(log)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2 and "cannot write the output" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bug_in_traindx_exits_3_not_1_or_2(monkeypatch, capsys):
    import importlib

    from traindx import cli
    diagnose_cmd = importlib.import_module("traindx.cli.diagnose_cmd")

    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(diagnose_cmd, "_load", boom)
    monkeypatch.setattr(sys, "argv", ["traindx", "diagnose", "anything.csv"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == cli.EXIT_INTERNAL == 3
    assert "internal error" in capsys.readouterr().err


@pytest.mark.parametrize("row, message", [
    ({"problem": "overfiting"}, "unknown problem 'overfiting'"),
    ({"colour": "red"}, "unknown key 'colour'"),
])
def test_a_rules_file_typo_is_an_error(tmp_path, row, message):
    import yaml
    base = {"problem": "overfitting", "category": "data", "action": "Add data.", "why": "More.",
            "snippet": "x = 1"}
    rules = tmp_path / "rules.yaml"
    rules.write_text(yaml.safe_dump({"rules": [{**base, **row}]}))
    result = runner.invoke(app, ["diagnose", "--rules", str(rules), str(_rising_log(tmp_path))])
    assert result.exit_code == 2 and message in result.output


def test_run_checks_its_rules_file_before_the_script_starts(tmp_path):
    (tmp_path / "train.py").write_text("print('the script ran')\n")
    (tmp_path / "rules.yaml").write_text("rules: [{problem: nope}]\n")
    proc = _cli("run", "--rules", "rules.yaml", "train.py", cwd=tmp_path)
    assert proc.returncode == 2 and "rules.yaml" in proc.stderr
    assert "the script ran" not in proc.stdout and not (tmp_path / "runs").exists()


@pytest.mark.parametrize("args", [
    ["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--trials", "0"],
    ["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--jobs", "-1"],
    ["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--population", "0"],
    ["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--epochs-per-trial", "0"],
    ["learning-curve", "{cfg}", "--folds", "-2"],
    ["learning-curve", "{cfg}", "--jobs", "0"],
    ["train", "{cfg}", "--threads", "0"],
    ["train", "{cfg}", "--try-remedies", "--per-problem", "0"],
])
def test_counts_of_zero_or_below_are_refused_before_any_training(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "small.yaml"
    cfg.write_text("model:\n  widths: [8]\n")
    result = runner.invoke(app, [a.format(cfg=cfg) for a in args])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "runs").exists()


def test_a_train_error_below_the_bayes_error_is_questioned():
    from traindx.diagnose.bayes import analyse_gap, describe
    text = describe(analyse_gap(0.05, 0.12, bayes_error=0.10))
    assert "below the Bayes error" in text
    assert "below the Bayes error" not in describe(analyse_gap(0.12, 0.15, bayes_error=0.10))


def test_activation_kinds_are_written_once_not_at_every_flush(tmp_path):
    _record_mlp(tmp_path / "run", steps=40, flush_every=5)
    events = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert sum(e["event"] == "activation_kinds" for e in events) == 1
    (run,) = load_runs(tmp_path / "run")
    assert run.activations.kinds.get("1") == "ReLU"


@pytest.mark.parametrize("doc, message", [
    ({"data": {"n_train": math.nan}}, "whole number"),
    ({"data": {"n_train": math.inf}}, "whole number"),
    ({"data": {"n_train": 10 ** 5000}}, "5001-digit number"),
    ({"training": {"betas": [0.9, 1.0]}}, "[0, 1)"),
    ({"data": {"n_train": 10_000_000, "n_features": 100_000}}, "GiB"),
    ({"model": {"widths": [100_000] * 3}}, "weights"),
])
def test_config_values_that_would_crash_or_exhaust_memory_are_refused(doc, message):
    from traindx.train.config import validate as validate_config
    with pytest.raises(InputError, match=re_escape(message)):
        validate_config(doc)


def re_escape(text: str) -> str:
    import re
    return re.escape(text)


def test_a_5000_digit_integer_in_yaml_is_one_line(tmp_path):
    cfg = tmp_path / "big.yaml"
    cfg.write_text("data:\n  n_train: 1" + "0" * 5000 + "\n")
    result = runner.invoke(app, ["train", str(cfg)])
    assert result.exit_code == 2 and "cannot be read" in result.output


def test_a_run_reached_through_a_symlink_is_counted_once(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    log = folder / "train.csv"
    log.write_text("step,loss\n" + "".join(f"{i},{1.0 + i * 0.5}\n" for i in range(60)))
    (folder / "zz_link.csv").symlink_to(log)
    (folder / "loop").symlink_to(folder)  # a link loop is not followed forever
    result = runner.invoke(app, ["check", str(folder)])
    assert "1 run(s) checked" in result.output, result.output
    assert "train.csv" in result.output and "zz_link" not in result.output


@pytest.mark.parametrize("args, message", [
    (["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--trials", "2", "--best", "{dir}"],
     "is a directory"),
    (["tune", "{cfg}", "--param", "training.lr=0.001..0.1:log", "--trials", "2", "--out", "{file}/x"],
     "cannot write here"),
    (["learning-curve", "{cfg}", "--out", "{file}/x"], "cannot write here"),
])
def test_an_unwritable_destination_is_said_before_any_training(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "small.yaml"
    cfg.write_text("model:\n  widths: [8]\n")
    (tmp_path / "afile").write_text("")
    argv = [a.format(cfg=cfg, dir=tmp_path, file=tmp_path / "afile") for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "runs").exists()  # no trial was trained


SPAWN = """
import torch
import torch.multiprocessing as mp


def worker(rank):
    m = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(20):
        loss = torch.nn.functional.mse_loss(m(torch.randn(4, 2)), torch.zeros(4, 1))
        opt.zero_grad(); loss.backward(); opt.step()


if __name__ == "__main__":
    mp.spawn(worker, nprocs=2)
"""


def test_training_in_spawned_children_is_said_not_reported_healthy(tmp_path):
    (tmp_path / "train.py").write_text(SPAWN)
    proc = _cli("run", "--out", "run", "--format", "json", "train.py", cwd=tmp_path,
                env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr
    (run,) = load_runs(tmp_path / "run")
    assert any("torch.multiprocessing.spawn" in n and "2 processes" in n for n in run.notes)
    assert '"verdict": "not judged"' in proc.stdout


def test_an_unreadable_statistic_block_in_a_run_directory_is_said(tmp_path):
    _record_mlp(tmp_path / "run", steps=12)
    path = tmp_path / "run" / "params.jsonl"
    lines = path.read_text().splitlines()
    first = json.loads(lines[0])
    first["stats"]["grad_norm"] = "not a block"
    path.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    (run,) = load_runs(tmp_path / "run")
    assert "params.jsonl: unreadable 'grad_norm' blocks skipped" in run.notes


def test_more_folds_than_examples_is_refused_before_training(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "c96.yaml"
    cfg.write_text("data:\n  n_train: 96\nmodel:\n  widths: [8]\n")
    result = runner.invoke(app, ["learning-curve", str(cfg), "--folds", "97"])
    assert result.exit_code == 2 and "97 folds of 96" in result.output
    assert not (tmp_path / "runs").exists()


def test_a_keras_csv_log_of_20_epochs_reads_as_20_epochs(tmp_path):
    path = tmp_path / "training.csv"  # CSVLogger: epoch 0 is written after the first epoch
    path.write_text("epoch,accuracy,loss,val_accuracy,val_loss\n" + "".join(
        f"{e},{0.5 + e * 0.02},{1.0 / (e + 1)},{0.5 + e * 0.02},{1.1 / (e + 1)}\n" for e in range(20)))
    (run,) = load_runs(path)
    assert run.source_format == "keras" and run.steps == 20 and run.unit == "epochs"
    assert list(run.series("train_loss").steps) == list(range(1, 21))
    result = runner.invoke(app, ["diagnose", str(path)])
    assert "in 20 epochs" in result.output and "epoch 20" in result.output


def test_an_epoch_log_counting_from_1_is_not_shifted(tmp_path):
    path = tmp_path / "training.csv"
    path.write_text("epoch,loss,val_loss\n" + "".join(f"{e},{1.0 / e},{1.1 / e}\n" for e in range(1, 21)))
    (run,) = load_runs(path)
    assert list(run.series("train_loss").steps) == list(range(1, 21))


THREADS = """
import threading
import torch


def train(seed):
    torch.manual_seed(seed)
    m = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    for _ in range(300):
        loss = torch.nn.functional.mse_loss(m(torch.randn(8, 4)), torch.zeros(8, 1))
        opt.zero_grad(); loss.backward(); opt.step()


threads = [threading.Thread(target=train, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""


def test_trainings_in_threads_follow_one_thread_whole(tmp_path):
    (tmp_path / "train.py").write_text(THREADS)
    proc = _cli("run", "--out", "run", "train.py", cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    (run,) = load_runs(tmp_path / "run")
    assert run.steps == 300 and len(run.series("train_loss")) == 300  # one whole training, not a mix
    assert sum("other threads" in n for n in run.notes) == 1
    assert not [n for n in run.notes if "disabled" in n]  # each thread leaves its own measuring mode


# thread A takes a gradient before any optimiser has stepped (what a loop updating by hand does
# first), then thread B steps first and the run follows B: A's later backward passes count no steps
THREAD_BACKWARD_FIRST = """
import threading
import torch

a_took_a_gradient, b_stepped = threading.Event(), threading.Event()


def train(seed, steps, after_first_backward=None):
    torch.manual_seed(seed)
    m = torch.nn.Linear(4, 1)
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    for i in range(steps):
        loss = torch.nn.functional.mse_loss(m(torch.randn(8, 4)), torch.zeros(8, 1))
        opt.zero_grad(); loss.backward()
        if i == 0 and after_first_backward:
            after_first_backward()
        opt.step()
        b_stepped.set() if seed == 1 else None


def a():
    train(0, 200, lambda: (a_took_a_gradient.set(), b_stepped.wait()))


def b():
    a_took_a_gradient.wait()
    train(1, 100)


threads = [threading.Thread(target=a), threading.Thread(target=b)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""


def test_a_backward_in_another_thread_before_the_first_step_counts_no_steps(tmp_path):
    (tmp_path / "train.py").write_text(THREAD_BACKWARD_FIRST)
    proc = _cli("run", "--out", "run", "train.py", cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    (run,) = load_runs(tmp_path / "run")
    assert run.steps == 100 and len(run.series("train_loss")) == 100
    assert not [n for n in run.notes if "by hand" in n]


def test_run_piped_into_head_still_saves_its_report(tmp_path):
    (tmp_path / "train.py").write_text(TINY + "for i in range(100_000):\n    print('x' * 60)\n")
    proc = subprocess.Popen([sys.executable, "-m", "traindx", "run", "--out", "run", "train.py"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "NO_COLOR": "1"})
    proc.stdout.readline()  # `| head -1`: read one line, then go away
    proc.stdout.close()
    proc.wait(timeout=120)
    proc.stderr.close()
    assert (tmp_path / "run" / "report.json").is_file()
    assert proc.returncode in (1, 141)  # the script's own broken pipe (as under python), or ours


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_reads_as_how_the_script_ended_not_abrupt(tmp_path, monkeypatch):
    import importlib
    run_cmd = importlib.import_module("traindx.cli.run_cmd")
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "scalars.jsonl").symlink_to("/dev/full")  # the disk fills once training starts
    monkeypatch.setattr(run_cmd, "claim_dir", lambda path: run_dir)
    script = tmp_path / "train.py"
    script.write_text(TINY)
    result = runner.invoke(app, ["run", "--format", "json", str(script)])
    doc = json.loads((run_dir / "report.json").read_text())
    assert doc["run"]["ended"] == "completed", result.output
    assert any("recording stopped early" in n for n in doc["run"]["notes"])


@pytest.mark.parametrize("where", ["set", "rules", "policy"])
def test_deeply_nested_yaml_is_one_line(tmp_path, monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    deep = "[" * 5000 + "]" * 5000
    cfg = tmp_path / "small.yaml"
    cfg.write_text("model:\n  widths: [8]\n")
    nested = tmp_path / "nested.yaml"
    nested.write_text(f"rules: {deep}\n" if where == "rules" else f"ignore: {deep}\n")
    log = _rising_log(tmp_path)
    args = {"set": ["train", str(cfg), "--set", f"training.lr={deep}"],
            "rules": ["diagnose", "--rules", str(nested), str(log)],
            "policy": ["check", "--config", str(nested), str(log)]}[where]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and "nested deeper" in result.output, result.output


def test_an_unreadable_run_directory_in_a_folder_is_said_not_skipped(tmp_path):
    bad = tmp_path / "runs" / "broken"
    bad.mkdir(parents=True)
    (bad / "events.jsonl").write_bytes(b"\x00\xff garbage \x00")
    good = _rising_log(tmp_path / "runs")
    result = runner.invoke(app, ["check", str(tmp_path / "runs")])
    assert "broken" in result.output and good.name in result.output, result.output
