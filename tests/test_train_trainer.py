"""The training loop: recorded like `traindx run`, metrics, early stopping, regression, folds."""
import json

import pytest
import torch
from typer.testing import CliRunner

from traindx.cli import app
from traindx.runs import load_runs
from traindx.train import config as C
from traindx.train.trainer import train

torch.set_num_threads(1)


def small(**sections):
    doc = {"data": {"n_train": 96, "n_val": 48, "n_test": 48}, "training": {"epochs": 3, "batch_size": 32}}
    for sec, values in sections.items():
        doc.setdefault(sec, {}).update(values)
    return C.validate(doc)


def test_recorded_with_the_recorder(tmp_path):
    cfg = small(data={"bayes_error": 0.05})
    res = train(cfg, tmp_path / "run")
    run = load_runs(tmp_path / "run")[0]
    assert run.ended == "completed" and run.steps == res.metrics["steps"] == 9
    for key in ("train_loss", "eval_loss", "eval_acc", "train_acc", "test_loss", "test_acc"):
        assert run.has(key), key
    assert len(run.series("eval_loss")) == 3  # one validation per epoch, captured under no_grad
    assert run.context["bayes_error"] == 0.05
    assert run.params is not None and run.activations is not None
    m = res.metrics
    assert sum(map(sum, m["val_confusion"])) == 48
    assert 0 <= m["val_macro_precision"] <= 1 and len(m["val_recall"]) == 3
    assert (tmp_path / "run" / "config.yaml").exists() and (tmp_path / "run" / "metrics.json").exists()


def test_same_seed_same_numbers(tmp_path):
    a = train(small(), tmp_path / "a").metrics
    b = train(small(), tmp_path / "b").metrics
    assert a["val_loss"] == b["val_loss"] and a["train_loss"] == b["train_loss"]


def test_early_stopping_restores_best(tmp_path):
    cfg = small(data={"n_train": 32, "label_noise": 0.4}, model={"widths": [128, 128]},
                training={"epochs": 40, "batch_size": 8, "lr": 0.01, "early_stopping": 2})
    res = train(cfg, tmp_path / "r")
    assert res.metrics["early_stopped"] and res.metrics["epochs_run"] < 40
    assert res.metrics["val_loss"] == pytest.approx(min(h["val_loss"] for h in res.history), rel=1e-4)


@pytest.mark.parametrize("training", [
    {"optimizer": "sgd", "schedule": "step", "step_size": 1}, {"optimizer": "momentum", "schedule": "cosine"},
    {"optimizer": "rmsprop", "schedule": "exponential", "l1": 1e-4, "grad_clip": 1.0},
])
def test_optimisers_schedules_and_penalties(tmp_path, training):
    res = train(small(training=training), tmp_path / "r")
    assert res.metrics["train_loss"] < 5 and res.history[-1]["lr"] < res.history[0]["lr"]  # decayed


def test_regression_and_cnn(tmp_path):
    reg = train(small(data={"dataset": "regression", "n_features": 3}), tmp_path / "reg")
    assert reg.metrics["task"] == "regression" and "val_acc" not in reg.metrics
    assert load_runs(tmp_path / "reg")[0].has("eval_loss")
    cnn = train(small(data={"dataset": "bars", "n_classes": 4}, model={"type": "cnn", "widths": [4, 8]}),
                tmp_path / "cnn")
    assert cnn.metrics["val_acc"] is not None


def test_cli_train_json_and_folds(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("data: {n_train: 90, n_val: 30, n_test: 30, folds: 3}\ntraining: {epochs: 2, batch_size: 32}\n")
    r = CliRunner().invoke(app, ["train", str(cfg), "-o", str(tmp_path / "run"), "--format", "json"])
    assert r.exit_code == 0, r.output
    docs = json.loads(r.stdout)
    assert len(docs) == 3 and all(d["trainer"]["metrics"]["n_train"] == 80 for d in docs)
    r = CliRunner().invoke(app, ["train", str(cfg), "-o", str(tmp_path / "text"), "--set", "data.folds=0"])
    assert r.exit_code == 0 and "evaluation" in r.stdout and "confusion matrix" in r.stdout
    assert (tmp_path / "text" / "report.json").exists()
