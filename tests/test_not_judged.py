"""No false green: a run that could not be judged (nothing recorded, too short) is reported as
"not judged", never as healthy, in every format; `check` fails on it unless --fail-on never, and
`traindx run` keeps the script's own exit code."""
import json
import textwrap

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import json_tail, traindx
from traindx.cli import app
from traindx.diagnose import MIN_JUDGED_STEPS, Diagnosis, Finding, Severity, diagnose
from traindx.record.writer import RunWriter
from traindx.runs import load_runs

runner = CliRunner()

BAD_FLAG = """
import argparse
import torch
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=1)
args = parser.parse_args()
model = torch.nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(50 * args.epochs):
    opt.zero_grad()
    torch.nn.functional.mse_loss(model(torch.randn(8, 4)), torch.randn(8, 1)).backward()
    opt.step()
"""

NO_STEP = """
import torch
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss = torch.nn.functional.mse_loss(model(torch.randn(32, 4)), torch.randn(32, 1))
loss.backward()  # ... and never opt.step()
print("model built")
"""

THREE_STEPS = """
import torch
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x, y = torch.randn(64, 4), torch.randn(64, 1)
for _ in range(3):
    opt.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    opt.step()
"""


def _script(tmp_path, name, source):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return path


@pytest.fixture(scope="module")
def bad_flag_run(tmp_path_factory):
    """`traindx run script.py --bad-flag`: argparse stops the script (exit 2) before training."""
    tmp = tmp_path_factory.mktemp("badflag")
    script = _script(tmp, "train", BAD_FLAG)
    out = tmp / "run"
    proc = traindx("run", "--out", str(out), str(script), "--bad-flag")
    return proc, out


def test_bad_flag_run_is_not_judged_and_keeps_exit_code(bad_flag_run):
    proc, out = bad_flag_run
    assert proc.returncode == 2, proc.stderr
    assert "unrecognized arguments: --bad-flag" in proc.stderr
    assert "healthy" not in proc.stdout.lower()
    assert "? not judged" in proc.stdout and "before its first optimiser step" in proc.stdout
    doc = json.loads((out / "report.json").read_text())
    assert doc["verdict"] == "not judged" and doc["run"]["steps"] == 0
    assert any("exit 2" in r and "no training step was recorded" in r for r in doc["not_judged_reasons"])


def test_check_fails_on_a_not_judged_run_unless_never(bad_flag_run):
    _, out = bad_flag_run
    proc = traindx("check", str(out))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.startswith("FAIL") and "not judged:" in proc.stdout
    assert "healthy" not in proc.stdout.splitlines()[0]
    assert "1 not judged" in proc.stdout
    for fail_on in ("error", "warning"):
        assert runner.invoke(app, ["check", str(out), "--fail-on", fail_on]).exit_code == 1
        assert runner.invoke(app, ["diagnose", str(out), "--fail-on", fail_on]).exit_code == 1
    res = runner.invoke(app, ["check", str(out), "--fail-on", "never"])
    assert res.exit_code == 0 and res.output.startswith("?") and "0 healthy, 1 not judged" in res.output
    assert runner.invoke(app, ["diagnose", str(out)]).exit_code == 0  # diagnose: --fail-on never
    doc = json.loads(runner.invoke(app, ["check", str(out), "--format", "json",
                                         "--fail-on", "never"]).output)
    assert doc["verdict"] == "not judged" and doc["not_judged_reasons"]
    assert doc["findings"] == []


def test_not_judged_in_every_format(bad_flag_run):
    _, out = bad_flag_run
    text = runner.invoke(app, ["diagnose", str(out)]).output
    assert "? not judged: no training step was recorded" in text and "✔" not in text
    md = runner.invoke(app, ["diagnose", str(out), "--format", "markdown"]).output
    assert "❔ not judged" in md and "**Not judged:**" in md and "healthy" not in md
    gh = runner.invoke(app, ["diagnose", str(out), "--format", "github"]).output
    assert gh.startswith("::warning file=") and "title=traindx not judged::" in gh
    ci = runner.invoke(app, ["check", str(out), "--format", "github", "--fail-on", "never"]).output
    assert any(ln.startswith("::warning ") and "not judged" in ln for ln in ci.splitlines())
    summary = runner.invoke(app, ["check", str(out), "--format", "markdown"]).output
    assert "not judged: no training step was recorded" in summary and "| healthy |" not in summary


def test_script_that_never_steps_is_not_judged(tmp_path):
    script = _script(tmp_path, "build_only", NO_STEP)
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(script))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("model built")
    doc = json_tail(proc.stdout)
    assert doc["verdict"] == "not judged" and doc["run"]["ended"] == "completed"
    [reason] = doc["not_judged_reasons"]
    assert "no training step was recorded" in reason and "optimiser" in reason
    assert runner.invoke(app, ["check", str(tmp_path / "run")]).exit_code == 1


def test_three_step_training_is_not_judged(tmp_path):
    script = _script(tmp_path, "three", THREE_STEPS)
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(script))
    assert proc.returncode == 0, proc.stderr
    doc = json_tail(proc.stdout)
    assert doc["run"]["steps"] == 3
    assert doc["verdict"] == "not judged", doc["findings"]
    assert doc["not_judged_reasons"] == [
        f"only 3 training steps were recorded; at least {MIN_JUDGED_STEPS} are needed to judge"]
    text = traindx("diagnose", str(tmp_path / "run"))
    assert text.returncode == 0 and "not judged: only 3 training steps" in text.stdout
    assert "healthy" not in text.stdout


def test_normal_short_training_is_still_healthy(tmp_path):
    out = tmp_path / "run"  # ~190 steps: 32 batches x 6 epochs
    proc = traindx("run", "--out", str(out), "--format", "json", "examples/scripts/healthy_mlp.py",
                   "--epochs", "6")
    assert proc.returncode == 0, proc.stderr
    doc = json_tail(proc.stdout)
    assert doc["run"]["steps"] >= 150
    assert doc["verdict"] == "healthy", doc["findings"]
    assert doc["not_judged_reasons"] == []
    res = runner.invoke(app, ["check", str(out)])
    assert res.exit_code == 0 and res.output.startswith("ok ") and "1 healthy" in res.output


# -- the rule, on run directories and logs written directly ----------------------------------------

def _write(path, train, end="completed", exit_code=0, evals=None):
    w = RunWriter(path)
    w.event("start", traindx_run_schema=1)
    if len(train):
        w.scalars("train_loss", list(range(1, len(train) + 1)), list(train))
    if evals:
        w.scalars("eval_loss", *evals)
    if end:
        w.event("end", status=end, exit_code=exit_code, step=len(train))
    w.close()
    return path


@pytest.mark.parametrize("n,verdict", [(0, "not judged"), (1, "not judged"),
                                       (MIN_JUDGED_STEPS - 1, "not judged"),
                                       (100, "healthy")])
def test_rule_on_train_loss_length(tmp_path, n, verdict):
    [run] = load_runs(_write(tmp_path / "r", np.linspace(2, 0.2, n) if n else []))
    diag = diagnose(run)
    assert diag.verdict == verdict
    assert diag.judged == (verdict != "not judged")
    assert bool(diag.not_judged_reasons) == (verdict == "not judged")


def test_short_run_with_a_problem_is_problems_not_not_judged(tmp_path):
    [run] = load_runs(_write(tmp_path / "nan", [2.0, 1.5, float("nan")], end="exception", exit_code=1))
    diag = diagnose(run)
    assert any(f.severity.rank >= 1 for f in diag.findings), diag.findings
    assert diag.verdict == "problems" and diag.not_judged_reasons == []
    assert diag.limits  # the thin data is still known (shown as a note)


def test_killed_before_any_step_says_how_it_ended(tmp_path):
    [run] = load_runs(_write(tmp_path / "killed", [], end=None))
    diag = diagnose(run)
    assert diag.verdict == "not judged"
    assert "ended abruptly" in diag.not_judged_reasons[0]
    # the caller's exit code words the reason when it knows it
    assert "(exit 137)" in diagnose(run, exit_code=137).not_judged_reasons[0]


def test_log_without_training_signal_is_not_judged(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps({"step": s, "val_loss": 1.0 / s}) + "\n" for s in range(1, 30)))
    res = runner.invoke(app, ["check", str(path), "--format", "json", "--fail-on", "never"])
    doc = json.loads(res.output)
    assert doc["verdict"] == "not judged", doc
    assert "no training signal" in doc["not_judged_reasons"][0]


def test_policy_that_downgrades_the_only_problem_leaves_a_short_run_not_judged():
    f = Finding("non_finite", Severity.WARNING, "NaN loss at step 2")
    diag = Diagnosis([f], [], ["only 2 training steps were recorded; at least 8 are needed to judge"])
    assert diag.verdict == "problems"
    f.severity = Severity.INFO
    assert diag.verdict == "not judged"
    assert Diagnosis([], []).verdict == "healthy"  # no limits given: judged on its findings
