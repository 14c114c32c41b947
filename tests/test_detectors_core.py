"""Core detectors on synthetic series: one case that fires, one that stays quiet, the edges."""
import math

import numpy as np
import pytest

from synthetic import param_table, run_with
from traindx.diagnose import diagnose
from traindx.diagnose.registry import DETECTORS
from traindx.diagnose.thresholds import resolve

rng = np.random.default_rng(0)


def fire(name, run):
    return DETECTORS[name].fn(run, resolve(name))


def falling(n, start=2.0, end=0.2, noise=0.02):
    return np.linspace(start, end, n) * (1 + noise * rng.standard_normal(n))


# ------------------------------------------------------------------ overfitting
def overfit_run(scale=1.0):
    train = falling(200, 1.0, 0.05) * scale
    ev_steps = np.arange(20, 201, 20)
    ev = np.array([0.9, 0.7, 0.6, 0.58, 0.6, 0.66, 0.72, 0.8, 0.88, 0.95]) * scale
    return run_with(train_loss=train, eval_loss=(ev_steps, ev))


def test_overfitting_fires_on_rising_eval_loss():
    (f,) = fire("overfitting", overfit_run())
    assert f.evidence["best_eval_step"] == 80
    assert f.evidence["eval_rise"] == pytest.approx((0.88 + 0.95) / 2 / 0.58 - 1, rel=0.01)  # median of the last two evals
    assert f.steps == [80, 200]


def test_overfitting_is_scale_free():
    a, b = fire("overfitting", overfit_run(1.0)), fire("overfitting", overfit_run(1000.0))
    assert [f.severity for f in a] == [f.severity for f in b]
    assert a[0].evidence["eval_rise"] == pytest.approx(b[0].evidence["eval_rise"])


def test_overfitting_quiet_when_eval_keeps_falling():
    ev_steps = np.arange(20, 201, 20)
    run = run_with(train_loss=falling(200, 1.0, 0.1), eval_loss=(ev_steps, np.linspace(1, 0.3, 10)))
    assert fire("overfitting", run) == []


def test_overfitting_quiet_when_train_also_stalls():
    ev_steps = np.arange(20, 201, 20)
    run = run_with(train_loss=np.full(200, 0.5), eval_loss=(ev_steps, [0.6, 0.5, 0.55, 0.6, 0.62, 0.63, 0.64, 0.65, 0.66, 0.7]))
    assert fire("overfitting", run) == []


def test_overfitting_too_few_evals():
    run = run_with(train_loss=falling(50), eval_loss=([10, 20], [0.5, 0.9]))
    assert fire("overfitting", run) == []


def test_missing_eval_is_skipped_not_crashed():
    diag = diagnose(run_with(train_loss=falling(100)))
    assert any(s.detector == "overfitting" and "eval_loss" in s.reason for s in diag.skipped)


# ------------------------------------------------------------------ gradients
def test_vanishing_fires_on_orders_of_magnitude_toward_input():
    g = np.tile(10.0 ** np.arange(-6, 0), (20, 1))  # input layer 1e-6 ... output 1e-1
    run = run_with(train_loss=falling(20))
    run.params = param_table(g)
    (f,) = fire("vanishing_gradients", run)
    assert f.evidence["orders_of_magnitude"] == pytest.approx(4.0, abs=0.01)  # output layer left out: 1e-6 vs 1e-2
    assert f.layers[0] == "l0.weight"
    assert f.severity.value == "error"


def test_vanishing_quiet_on_balanced_layers_and_scale_free():
    g = np.tile([0.01, 0.02, 0.015, 0.03, 0.02, 0.05], (20, 1))
    run = run_with(train_loss=falling(20))
    run.params = param_table(g * 1e-4, np.ones_like(g) * 1e-4)
    assert fire("vanishing_gradients", run) == []


def test_vanishing_layers_with_no_gradient():
    g = np.tile([0.0, 0.0, 0.1, 0.2], (10, 1))
    run = run_with(train_loss=falling(10))
    run.params = param_table(g)
    (f,) = fire("vanishing_gradients", run)
    assert f.evidence["layers_without_gradient"] == ["l0.weight", "l1.weight"]


def test_exploding_fires_on_growth_then_nan():
    norms = np.concatenate([np.full(10, 1.0), 10.0 ** np.arange(1, 6), [np.nan] * 5])
    run = run_with(train_loss=falling(20), grad_norm=norms)
    (f,) = fire("exploding_gradients", run)
    assert f.severity.value == "error" and f.evidence["grad_norm_became_non_finite"]
    assert f.evidence["growth_orders"] == pytest.approx(4, abs=0.01)  # sustained: running median of 3


def test_exploding_quiet_on_stable_norms_any_scale():
    for scale in (1e-3, 1.0, 1e3):
        run = run_with(train_loss=falling(50), grad_norm=scale * (1 + 0.3 * rng.random(50)))
        assert fire("exploding_gradients", run) == []


# ------------------------------------------------------------------ non-convergence
def test_non_convergence_on_flat_loss_and_quiet_on_falling_loss():
    flat = run_with(train_loss=1.0 + 0.01 * rng.standard_normal(200))
    (f,) = fire("non_convergence", flat)
    assert f.evidence["relative_drop"] < 0.1
    assert fire("non_convergence", run_with(train_loss=falling(200))) == []


def test_non_convergence_at_chance_level():
    run = run_with(train_loss=np.full(100, math.log(4)) + 0.01 * rng.standard_normal(100))
    run.labels = {"train_counts": [100, 100, 100, 100]}
    (f,) = fire("non_convergence", run)
    assert f.severity.value == "error"
    assert f.evidence["chance_loss"] == pytest.approx(math.log(4))


def test_non_convergence_too_short_is_quiet():
    assert fire("non_convergence", run_with(train_loss=[1.0, 1.0, 1.0])) == []


# ------------------------------------------------------------------ non-finite
def test_non_finite_first_step():
    loss = falling(30)
    loss[17:] = np.nan
    (f,) = fire("non_finite", run_with(train_loss=loss))
    assert f.evidence["first_step"] == 18 and f.severity.value == "error"


def test_healthy_synthetic_run_is_healthy():
    ev_steps = np.arange(20, 201, 20)
    run = run_with(train_loss=falling(200), eval_loss=(ev_steps, np.linspace(2, 0.3, 10)),
                   grad_norm=1 + 0.2 * rng.random(200))
    assert diagnose(run).verdict == "healthy"


def test_overfitting_quiet_when_train_loss_is_above_the_best_eval_loss():
    """Wildly swinging losses (unnormalised inputs) are not a generalisation gap: the model does
    not fit its training data better than it did the eval data at its best."""
    ev_steps = np.arange(20, 201, 20)
    ev = [9.0, 7.3, 8.0, 12.0, 15.0, 18.0, 20.0, 22.0, 23.0, 24.0]
    run = run_with(train_loss=np.linspace(36, 15, 200), eval_loss=(ev_steps, ev))
    assert fire("overfitting", run) == []


def test_overfitting_quiet_when_train_loss_is_at_chance():
    ev_steps = np.arange(20, 201, 20)
    run = run_with(train_loss=np.linspace(1.3, 1.12, 200),
                   eval_loss=(ev_steps, [1.2, 1.15, 1.13, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]))
    run.labels = {"train_counts": [100, 100, 100]}  # chance loss ln 3 = 1.10
    assert fire("overfitting", run) == []


def test_exploding_on_a_gradient_spike_then_nan():
    """No growth to measure (the first sample is already huge), but gradients 1e6x the weights,
    then NaN: exploding, not just non-finite."""
    g = np.array([[1e6, 3e6, 6e7], [np.nan, np.nan, np.nan], [np.nan, np.nan, np.nan],
                  [np.nan, np.nan, np.nan]])
    run = run_with(train_loss=[9.9e5, np.nan, np.nan, np.nan])
    run.params = param_table(g, np.full_like(g, 10.0), names=["rnn.weight_ih_l0", "rnn.weight_hh_l0", "fc.weight"])
    (f,) = fire("exploding_gradients", run)
    assert f.evidence["peak_relative_grad"] == pytest.approx(6e6)
    assert f.severity.value == "error"


def test_no_exploding_for_a_nan_from_the_inputs():
    """NaN from the first step with ordinary gradient sizes before it is not exploding."""
    g = np.array([[0.1, 0.2, 0.3], [np.nan] * 3, [np.nan] * 3, [np.nan] * 3])
    run = run_with(train_loss=[1.0, np.nan, np.nan, np.nan])
    run.params = param_table(g)
    assert fire("exploding_gradients", run) == []


def test_exploding_on_a_spike_at_initialisation():
    """A recurrent net with too large a recurrent gain: a huge first gradient, then ordinary ones.
    There is no growth from the early level (the spike is the early level), but it is a spike."""
    norms = np.concatenate([[136.0, 80.0], 0.2 * (1 + 0.1 * rng.random(40))])
    (f,) = fire("exploding_gradients", run_with(train_loss=falling(42), grad_norm=norms))
    assert f.evidence["spike_orders"] > 2.5 and f.steps[1] == 1
    assert f.severity.value == "warning"


def test_a_mid_run_spike_the_loss_got_over_is_a_note():
    """One gradient spike in the middle of a run (fresh6: an LSTM clipped at 1, 790x its typical
    norm at step 286 of 560) after which the loss kept falling is seen and said as a note; the same
    spike followed by a loss stuck at its level stays a warning."""
    norms = 0.3 * (1 + 0.1 * rng.random(200))
    norms[120] = 240.0
    (f,) = fire("exploding_gradients", run_with(train_loss=falling(200), grad_norm=norms))
    assert f.severity.value == "info" and f.evidence["loss_recovered_after_spike"]
    assert "the loss recovered" in f.summary
    stuck = np.concatenate([falling(200)[:120], np.full(80, falling(200)[119] * 1.5)])
    (f,) = fire("exploding_gradients", run_with(train_loss=stuck, grad_norm=norms))
    assert f.severity.value == "warning"
