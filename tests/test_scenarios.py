"""A fast subset of the scenario suite (tests/scenarios/, benchmarks/scenarios.py): real tiny
trainings run through `traindx run --format json`, each checked against its own labels. Together
they produce every SPEC problem id at least once. The full suite:
`python benchmarks/scenarios.py` (a few minutes on one CPU core)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import scenarios as suite  # noqa: E402

from traindx.remedies import PROBLEMS  # noqa: E402

FAST = [
    "healthy_binary_rmsprop",
    "overfitting_small_data",          # overfitting, high_variance
    "high_bias_linear_model",          # high_bias (--bayes-error 0.0)
    "data_mismatch_shifted_test",      # data_mismatch (--test-error)
    "vanishing_deep_sigmoid",          # vanishing_gradients
    "exploding_sgd_lr",                # exploding_gradients, learning_rate_too_high, non_finite
    "lr_too_low_adam_regression",      # learning_rate_too_low, non_convergence
    "dead_relu_negative_bias",         # dead_units
    "dead_relu_functional",            # dead_units, seen through F.relu (no activation modules)
    "saturated_tanh_large_init",       # saturated_activations
    "poor_init_zeros",                 # poor_initialization
    "unnormalized_tabular",            # unnormalized_inputs
    "class_imbalance_binary",          # class_imbalance
]
SCENARIOS = {s.name: s for s in suite.load()}


def test_suite_is_labelled():
    assert len(SCENARIOS) >= 20
    assert sum(s.healthy for s in SCENARIOS.values()) >= 5
    covered = set().union(*(s.expect for s in SCENARIOS.values()))
    assert covered == set(PROBLEMS)


def test_fast_subset_covers_every_problem():
    covered = set().union(*(SCENARIOS[n].expect for n in FAST))
    assert covered == set(PROBLEMS)


@pytest.mark.parametrize("name", FAST)
def test_scenario(name, tmp_path):
    result = suite.run_one(SCENARIOS[name], tmp_path)
    assert not result.get("error"), result.get("error")
    assert result["missed"] == [], f"{name}: flagged {result['flagged']}"
    assert result["false_alarms"] == [], f"{name}: flagged {result['flagged']}"
