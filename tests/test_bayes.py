"""The Bayes-gap analysis: the pure function, and `traindx bayes` through the CLI."""
from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from traindx.cli import app
from traindx.diagnose.bayes import PLANS, analyse_gap, describe

runner = CliRunner()


def test_course_example_high_bias():
    gap = analyse_gap(train_error=0.08, val_error=0.10, bayes_error=0.01)
    assert gap.avoidable_bias == pytest.approx(0.07) and gap.variance == pytest.approx(0.02)
    assert gap.dominant == "high_bias" and gap.ratio == pytest.approx(3.5)
    assert gap.plan == PLANS["high_bias"]


def test_high_variance():
    gap = analyse_gap(train_error=0.02, val_error=0.10, bayes_error=0.01)
    assert gap.dominant == "high_variance" and gap.variance == pytest.approx(0.08)


def test_data_mismatch_dominates_with_test_error():
    gap = analyse_gap(train_error=0.03, val_error=0.04, bayes_error=0.02, test_error=0.15)
    assert gap.dominant == "data_mismatch" and gap.mismatch == pytest.approx(0.11)
    assert set(gap.significant) == {"data_mismatch"}


def test_nothing_stands_out_below_min_gap():
    gap = analyse_gap(train_error=0.02, val_error=0.025, bayes_error=0.01)
    assert gap.dominant is None and gap.significant == [] and "no gap" in describe(gap)


def test_without_bayes_error_high_bias_is_never_claimed():
    gap = analyse_gap(train_error=0.30, val_error=0.31)
    assert gap.dominant is None
    gap = analyse_gap(train_error=0.01, val_error=0.30)
    assert gap.dominant == "high_variance"


def test_only_one_gap_ratio_is_infinite():
    gap = analyse_gap(train_error=0.0, val_error=0.2, bayes_error=0.0)
    assert math.isinf(gap.ratio) and "alone" in describe(gap)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_rejects_non_rates(bad):
    with pytest.raises(ValueError):
        analyse_gap(train_error=bad, val_error=0.1)


def test_gaps_are_scale_free_in_the_sense_of_differences():
    a = analyse_gap(0.08, 0.10, 0.01)
    b = analyse_gap(0.18, 0.20, 0.11)  # shifting every error by the same amount changes nothing
    assert (a.dominant, round(a.ratio, 6)) == (b.dominant, round(b.ratio, 6))


# ------------------------------------------------------------------ CLI


def test_cli_text():
    r = runner.invoke(app, ["bayes", "--human-error", "0.01", "--train-error", "0.08", "--val-error", "0.10"])
    assert r.exit_code == 0, r.output
    assert "high_bias dominates" in r.output and "+7.0%" in r.output


def test_cli_json_with_test_error():
    r = runner.invoke(app, ["bayes", "--human-error", "0.01", "--train-error", "0.08", "--val-error", "0.10",
                            "--test-error", "0.15", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    g = doc["bayes_gap"]
    assert g["avoidable_bias"] == pytest.approx(0.07) and g["mismatch"] == pytest.approx(0.05)
    assert g["dominant"] == "high_bias" and doc["thresholds"]["min_gap"] == 0.02


def test_cli_bad_input_exit_2():
    r = runner.invoke(app, ["bayes", "--train-error", "2", "--val-error", "0.1"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["bayes", "--bayes-error", "0.01", "--human-error", "0.01",
                            "--train-error", "0.1", "--val-error", "0.1"])
    assert r.exit_code == 2


def test_cli_missing_required_option():
    r = runner.invoke(app, ["bayes", "--train-error", "0.1"])
    assert r.exit_code == 2
