"""diagnose / check / remedies through the CLI, exit codes and formats."""
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from traindx.cli import app
from traindx.record.writer import RunWriter

runner = CliRunner()


def write_run(path, train, evals=None, end=True):
    w = RunWriter(path)
    w.event("start", traindx_run_schema=1)
    w.scalars("train_loss", list(range(1, len(train) + 1)), train)
    if evals:
        w.scalars("eval_loss", *evals)
    if end:
        w.event("end", status="completed", step=len(train))
    w.close()
    return path


@pytest.fixture
def runs(tmp_path):
    rng = np.random.default_rng(0)
    healthy = write_run(tmp_path / "healthy", list(np.linspace(2, 0.2, 100)),
                        (list(range(10, 101, 10)), list(np.linspace(2, 0.3, 10))))
    flat = write_run(tmp_path / "flat", list(1 + 0.01 * rng.standard_normal(100)))
    overfit = write_run(tmp_path / "overfit", list(np.linspace(1, 0.05, 100)),
                        (list(range(10, 101, 10)), [0.9, 0.7, 0.6, 0.62, 0.66, 0.7, 0.75, 0.8, 0.85, 0.9]))
    return {"healthy": healthy, "flat": flat, "overfit": overfit}


def test_diagnose_text_and_json(runs):
    res = runner.invoke(app, ["diagnose", str(runs["overfit"])])
    assert res.exit_code == 0 and "overfitting" in res.output and "remedy plan" in res.output
    doc = json.loads(runner.invoke(app, ["diagnose", str(runs["overfit"]), "--format", "json"]).output)
    assert set(doc) == {"traindx", "schema", "run", "verdict", "not_judged_reasons", "profile", "findings",
                        "skipped", "plan"}
    assert doc["verdict"] == "problems" and doc["findings"][0]["problem"] == "overfitting"
    assert {"problem", "severity", "summary", "evidence", "layers", "steps"} <= set(doc["findings"][0])
    assert {"problem", "category", "action", "why", "snippet", "evidence"} <= set(doc["plan"][0])


def test_check_exit_codes_follow_fail_on(runs):
    assert runner.invoke(app, ["check", str(runs["healthy"])]).exit_code == 0
    # overfitting here is a warning: fails only with --fail-on warning
    assert runner.invoke(app, ["check", str(runs["overfit"])]).exit_code == 0
    assert runner.invoke(app, ["check", str(runs["overfit"]), "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["check", str(runs["flat"]), "--fail-on", "never"]).exit_code == 0
    res = runner.invoke(app, ["check", *map(str, runs.values()), "--fail-on", "warning"])
    assert res.exit_code == 1
    assert "3 run(s) checked, 2 failing" in res.output


def test_check_json_lists_every_run(runs):
    res = runner.invoke(app, ["check", str(runs["healthy"]), str(runs["flat"]), "--format", "json",
                              "--fail-on", "never"])
    docs = json.loads(res.output)
    assert [d["verdict"] for d in docs] == ["healthy", "problems"]


def test_abrupt_end_is_reported(tmp_path):
    path = write_run(tmp_path / "killed", list(np.linspace(2, 1, 50)), end=False)
    doc = json.loads(runner.invoke(app, ["diagnose", str(path), "--format", "json"]).output)
    assert doc["run"]["ended"] == "abrupt" and doc["run"]["steps"] == 50


def test_missing_path_is_one_line_exit_2(tmp_path):
    res = runner.invoke(app, ["diagnose", str(tmp_path / "nothing")])
    assert res.exit_code == 2
    assert "nothing: no such file or directory" in res.output


def test_remedies_whole_table_and_one_problem():
    res = runner.invoke(app, ["remedies"])
    assert res.exit_code == 0 and "class_imbalance" in res.output and "clip_grad_norm_" in res.output
    one = runner.invoke(app, ["remedies", "overfitting", "--no-snippets"])
    assert "Augment the data" in one.output and "vanishing_gradients" not in one.output
    assert runner.invoke(app, ["remedies", "nonsense"]).exit_code == 2


def test_markdown_format(runs):
    res = runner.invoke(app, ["diagnose", str(runs["overfit"]), "--format", "markdown"])
    assert res.output.startswith("### traindx: ❌ problems") and "| `overfitting` |" in res.output
