"""A Bayes error the run states in its own log (`bayes_err`, `human_error`, `error/bayes`; a loss's
floor as `bayes_mse`) is the reference of the bias/variance analysis, as `--bayes-error` is: the
course's recipe, which fresh19's authors followed (a noisy task whose error sits at its Bayes error
is healthy, a model 10 points above a 1% human-level error has avoidable bias). Logs in the formats
they wrote: a Keras CSVLogger file and a skorch history.json."""
from __future__ import annotations

import json

import numpy as np
import pytest

from traindx.api import diagnose_path
from traindx.record.names import classify


def _keras_csv(path, train_err, val_err, bayes=None, epochs=20, seed=0, fall=0.3):
    """A CSVLogger file of a classifier whose error levels off at train_err / val_err, from
    `fall` above it."""
    rng = np.random.default_rng(seed)
    head = "epoch,accuracy,loss,val_accuracy,val_loss" + (",bayes_err" if bayes is not None else "")
    rows = []
    for e in range(epochs):
        settle = np.exp(-e / 2)  # most of the fall in the first epochs, then a plateau
        tr = train_err + fall * settle + rng.normal(0, 0.004)
        va = val_err + fall * settle + rng.normal(0, 0.004)
        row = f"{e},{1 - tr:.4f},{0.9 * tr + 0.3:.4f},{1 - va:.4f},{0.9 * va + 0.3:.4f}"
        rows.append(row + (f",{bayes}" if bayes is not None else ""))
    path.write_text(head + "\n" + "\n".join(rows) + "\n")
    return path


def _found(path) -> dict:
    [(run, diagnosis, _)] = diagnose_path(path)
    return {f.problem: f for f in diagnosis.findings if f.severity.rank >= 1}, run


def test_a_noisy_task_at_its_stated_bayes_error_is_healthy(tmp_path):
    """20% of the labels flipped: the model reached its 21% error within the first epoch and the
    loss stays flat after it. Read alone, a flat loss; against the Bayes error the log states, the
    end of a good training."""
    found, run = _found(_keras_csv(tmp_path / "training.csv", 0.21, 0.205, bayes=0.2, fall=0.01))
    assert run.context["bayes_error"] == pytest.approx(0.2) and not found
    assert any("the Bayes error the run logs (0.2" in n for n in run.notes)
    found, _ = _found(_keras_csv(tmp_path / "no_reference.csv", 0.21, 0.205, fall=0.01))
    assert "non_convergence" in found


def test_a_model_far_above_the_stated_human_level_error_has_avoidable_bias(tmp_path):
    found, run = _found(_keras_csv(tmp_path / "training.csv", 0.11, 0.11, bayes=0.01))
    bias = found["high_bias"]
    assert bias.evidence["bayes_error"] == pytest.approx(0.01)
    assert bias.evidence["avoidable_bias"] == pytest.approx(0.10, abs=0.01)
    # the same curves with no reference: an 11% error is no claim of bias
    found, _ = _found(_keras_csv(tmp_path / "no_reference.csv", 0.11, 0.11))
    assert "high_bias" not in found


def _skorch(path, train, valid, bayes_mse):
    epochs = [{"epoch": e + 1, "train_loss": train + 0.5 * np.exp(-e), "valid_loss": valid + 0.5 * np.exp(-e),
               "bayes_mse": bayes_mse, "dur": 0.1} for e in range(25)]
    path.write_text(json.dumps(epochs))
    return path


def test_a_regressions_stated_noise_floor_judges_its_loss(tmp_path):
    """skorch's history.json of a regression with `bayes_mse`: train 0.49 against a floor of 0.04 is
    avoidable bias (the loss ~12x what the task allows); 0.05 against 0.04 is the floor itself;
    60 examples memorised (train ~0, valid 2.4 against 0.25) is variance."""
    found, run = _found(_skorch(tmp_path / "bias.json", 0.49, 0.47, 0.04))
    assert run.context["bayes_loss"] == pytest.approx(0.04)
    assert found["high_bias"].evidence["avoidable_bias"] == pytest.approx(0.45, abs=0.01)
    assert "non_convergence" not in found
    found, _ = _found(_skorch(tmp_path / "floor.json", 0.05, 0.052, 0.04))
    assert not found
    found, _ = _found(_skorch(tmp_path / "variance.json", 0.0, 2.4, 0.25))
    assert found["high_variance"].evidence["variance"] == pytest.approx(2.4, abs=0.01)


def test_a_bayes_error_beside_no_error_rate_is_not_guessed_onto_the_loss(tmp_path):
    """`bayes_err` 0.01 beside an MSE could be an error rate or an MSE: not used, and said."""
    path = tmp_path / "training.csv"
    path.write_text("epoch,loss,val_loss,bayes_err\n" + "".join(
        f"{e},{0.4 + 0.5 * np.exp(-e):.4f},{0.41 + 0.5 * np.exp(-e):.4f},0.01\n" for e in range(20)))
    _, run = _found(path)
    assert "bayes_error" not in run.context and "bayes_loss" not in run.context
    assert any("beside no error rate: not used" in n for n in run.notes)


@pytest.mark.parametrize("name,canonical", [
    ("bayes_err", "bayes_error"), ("error/bayes", "bayes_error"), ("human_level_error", "bayes_error"),
    ("bayes_mse", "bayes_loss"), ("bayes_loss", "bayes_loss"), ("bayes_accuracy", None), ("val_bayes", None),
])
def test_the_spellings_of_a_stated_reference(name, canonical):
    hit = classify(name)
    assert (hit[0] if hit else None) == canonical
