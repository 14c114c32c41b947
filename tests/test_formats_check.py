"""The spelling table, --map, `check` over a folder of mixed runs, CI formats and the policy file."""
import json

import pytest
from typer.testing import CliRunner

from fixtures.logs import writers
from traindx.cli import app
from traindx.errors import InputError
from traindx.policy import find, validate
from traindx.runs.formats.columns import assign, classify

runner = CliRunner()


@pytest.mark.parametrize("name, canon", [
    ("loss", "train_loss"), ("train_loss", "train_loss"), ("Loss/train", "train_loss"),
    ("train/loss", "train_loss"), ("train_loss_step", "train_loss"), ("training_loss", "train_loss"),
    ("val_loss", "eval_loss"), ("valid_loss", "eval_loss"), ("eval_loss", "eval_loss"),
    ("validation/epoch_loss", "eval_loss"), ("loss_val", "eval_loss"), ("Loss/val", "eval_loss"),
    ("acc", "train_acc"), ("accuracy", "train_acc"), ("val_acc", "eval_acc"),
    ("val_accuracy", "eval_acc"), ("eval_accuracy", "eval_acc"), ("test_loss", "test_loss"),
    ("test_acc", "test_acc"), ("lr", "lr"), ("learning_rate", "lr"), ("lr-Adam", "lr"),
    ("train/learning_rate", "lr"), ("grad_norm", "grad_norm"), ("grad_2.0_norm_total", "grad_norm"),
    ("step", "step"), ("global_step", "step"), ("epoch", "epoch"),
])
def test_spelling_table(name, canon):
    assert classify(name)[0] == canon


@pytest.mark.parametrize("name", ["eval_runtime", "val_f1", "total_flos", "grad_2.0_norm/fc1.weight",
                                  "train_val_loss"])
def test_not_a_signal(name):
    assert classify(name) is None


def test_the_most_direct_spelling_wins():
    assert assign(["train_loss_epoch", "train_loss_step", "val_loss_epoch", "val_loss"]) == {
        "train_loss": "train_loss_step", "eval_loss": "val_loss"}


def test_map_overrides_the_table(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("step,objective,heldout\n" + "".join(
        f"{i},{1 - i / 25},{0.9 - i / 50 if i < 6 else 0.8 + (i - 6) / 20}\n" for i in range(20)))
    res = runner.invoke(app, ["diagnose", str(path), "--map", "train_loss=objective",
                              "--map", "eval_loss=heldout", "--format", "json"])
    doc = json.loads(res.output)
    assert "overfitting" in {f["problem"] for f in doc["findings"]}
    assert doc["run"]["notes"][0] == "signals read: train_loss ('objective'), eval_loss ('heldout')"


@pytest.fixture
def mixed(tmp_path):
    """A folder as CI would see it: one run per tool, some healthy, some broken."""
    root = tmp_path / "runs"
    writers.lightning(root / "pl", "overfit")
    writers.keras(root / "keras.csv", "healthy")
    writers.huggingface(root / "hf", "diverge")
    writers.mlflow(root, "healthy")
    writers.jsonl(root / "metrics.jsonl", "overfit")
    (root / "README.md").write_text("not a log\n")
    return root


def test_check_over_a_folder_of_mixed_runs(mixed):
    res = runner.invoke(app, ["check", str(mixed)])
    lines = res.output.strip().splitlines()
    assert res.exit_code == 1
    assert len(lines) == 6 and lines[-1].startswith("5 run(s) checked, 3 failing")
    by_format = {ln.split("[")[1].split(",")[0]: ln.split()[0] for ln in lines[:-1]}
    assert by_format == {"huggingface": "FAIL", "keras": "ok", "jsonl": "FAIL", "mlflow": "ok",
                         "lightning": "FAIL"}


def test_check_many_paths_like_a_shell_glob(mixed):
    paths = sorted(str(p) for p in mixed.iterdir() if p.name != "README.md")
    res = runner.invoke(app, ["check", *paths, "--fail-on", "never"])
    assert res.exit_code == 0 and "5 run(s) checked" in res.output


def test_check_json_markdown_github(mixed, tmp_path, monkeypatch):
    docs = json.loads(runner.invoke(app, ["check", str(mixed), "--format", "json"]).output)
    assert len(docs) == 5 and {d["run"]["format"] for d in docs} >= {"keras", "mlflow", "lightning"}
    md = runner.invoke(app, ["check", str(mixed), "--format", "markdown"]).output
    assert md.startswith("## traindx check") and "| ❌ |" in md and "| ✅ |" in md
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    res = runner.invoke(app, ["check", str(mixed), "--format", "github"])
    assert res.exit_code == 1
    assert any(ln.startswith("::error file=") and "title=traindx overfitting::" in ln
               for ln in res.output.splitlines())
    assert summary.read_text().startswith("## traindx check")


def test_policy_yaml_sets_fail_on_ignore_severity_thresholds(mixed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "traindx.yaml").write_text(
        "fail_on: warning\nignore: [non_finite, exploding_gradients, learning_rate_too_high, "
        "non_convergence]\nseverity: {overfitting: info}\n")
    res = runner.invoke(app, ["check", str(mixed / "pl"), str(mixed / "hf")])
    assert res.exit_code == 0, res.output
    (tmp_path / "traindx.yaml").write_text("thresholds: {overfitting: {min_rise: 50.0, loss_gap: 1000, acc_gap: 1000}}\n")
    res = runner.invoke(app, ["check", str(mixed / "metrics.jsonl"), "--format", "json"])
    assert "overfitting" not in {f["problem"] for f in json.loads(res.output)["findings"]}


def test_policy_in_pyproject_and_config_flag(mixed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.traindx]\nfail_on = "never"\n')
    assert find() == tmp_path / "pyproject.toml"
    assert runner.invoke(app, ["check", str(mixed)]).exit_code == 0
    strict = tmp_path / "strict.yaml"
    strict.write_text("fail_on: error\n")
    assert runner.invoke(app, ["check", str(mixed), "--config", str(strict)]).exit_code == 1
    assert runner.invoke(app, ["check", str(mixed), "--fail-on", "error"]).exit_code == 1


@pytest.mark.parametrize("raw, message", [
    ({"fail_on": "sometimes"}, "fail_on must be one of"),
    ({"ignroe": ["overfitting"]}, "unknown setting 'ignroe'"),
    ({"ignore": ["overfiting"]}, "unknown problem 'overfiting'"),
    ({"severity": {"overfitting": "fatal"}}, "must be one of error, warning, info, off"),
    ({"thresholds": {"overfitting": {"min_rice": 1}}}, "unknown threshold 'min_rice'"),
    ({"thresholds": {"nope": {}}}, "unknown detector 'nope'"),
    ({"map": {"loss": "x"}}, "map: expected NAME: COLUMN"),
])
def test_policy_typos_are_errors(raw, message):
    with pytest.raises(InputError, match=message):
        validate(raw, "traindx.yaml")


def test_bad_policy_file_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "traindx.yaml").write_text("fail_on: [\n")
    writers.keras(tmp_path / "k.csv", "healthy")
    res = runner.invoke(app, ["check", "k.csv"])
    assert res.exit_code == 2 and "traindx.yaml: not valid YAML" in res.output


def test_severity_off_means_ignore():
    policy = validate({"severity": {"overfitting": "off"}})
    assert policy["ignore"] == ["overfitting"] and policy["severity"] == {}
