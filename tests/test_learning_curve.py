"""`traindx learning-curve`: bias vs variance from real (tiny) trainings."""
import json
from pathlib import Path

from typer.testing import CliRunner

from traindx.cli import app
from traindx.train.curve import Point, conclude

EXAMPLES = Path(__file__).parents[1] / "examples" / "configs"


def curve(tmp_path, config, *extra):
    r = CliRunner().invoke(app, ["learning-curve", str(config), "--format", "json", "-o", str(tmp_path / "lc"),
                                 "--fractions", "0.25,0.5,1", *extra])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["learning_curve"]


def test_too_small_model_is_high_bias(tmp_path):
    cfg = tmp_path / "small.yaml"
    cfg.write_text("data: {dataset: spirals, n_train: 400, n_val: 200, n_test: 0}\n"
                   "model: {widths: [3]}\ntraining: {lr: 0.01, batch_size: 32, epochs: 10}\n")
    doc = curve(tmp_path, cfg, "--bayes-error", "0")
    assert doc["verdict"] == "high_bias"
    assert doc["gaps"]["avoidable_bias"] > 0.1 > abs(doc["gaps"]["variance"])
    assert [p["n_train"] for p in doc["points"]] == [100, 200, 400]


def test_overfitting_model_is_high_variance(tmp_path):
    doc = curve(tmp_path, EXAMPLES / "overfitting.yaml")  # bayes_error 0.2 comes from the config
    assert doc["verdict"] == "high_variance" and doc["bayes_error"] == 0.2
    last = doc["points"][-1]
    assert last["val_error"] - last["train_error"] > 0.1


def test_folds_give_error_bars(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {n_train: 120, n_val: 60}\ntraining: {epochs: 2}\n")
    doc = curve(tmp_path, cfg, "--folds", "3", "--fractions", "0.5,1")
    assert len(doc["points"]) == 2 and doc["folds"] == 3
    assert all(len(p["runs"]) == 3 for p in doc["points"]) and doc["points"][-1]["n_train"] == 120


def test_conclusion_text_has_the_numbers():
    pts = [Point(0.5, 50, 0.05, 0.40), Point(1.0, 100, 0.05, 0.30)]
    v = conclude(pts, 0.03, "classification")
    assert v.problem == "high_variance" and "25.0%" in v.summary and "per doubling" in v.summary
