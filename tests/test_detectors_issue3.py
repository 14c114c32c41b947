"""Unit tests of the issue-3 detectors on synthetic Runs: each fires on its pattern, stays quiet on
a healthy one, and survives the edge cases (too short, NaN, missing signal -> skipped)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from synthetic import run_with
from traindx.diagnose import diagnose
from traindx.diagnose.registry import DETECTORS, run_detectors
from traindx.diagnose.thresholds import DEFAULTS, resolve
from traindx.runs.model import LayerTable, Run

ISSUE3 = ("learning_rate_too_high", "learning_rate_too_low", "dead_units", "saturated_activations",
          "poor_initialization", "unnormalized_inputs", "class_imbalance", "bayes_gap")


def findings(run: Run, name: str, **overrides):
    return DETECTORS[name].fn(run, resolve(name, overrides))


def problems(run: Run, name: str, **overrides) -> dict[str, str]:
    return {f.problem: f.severity.value for f in findings(run, name, **overrides)}


def falling(n=200, start=2.0, end=0.2, noise=0.02, seed=0):
    rng = np.random.default_rng(seed)
    return np.geomspace(start, end, n) * (1 + noise * rng.standard_normal(n))


def params(update_ratio, grad=0.1, n_steps=12, layers=("fc1.weight", "fc2.weight", "fc3.weight"),
           weight_std=None):
    """A parameter table with the given update ratio (scalar or per-layer list) at every step."""
    L = len(layers)
    ur = np.broadcast_to(np.asarray(update_ratio, dtype=float), (n_steps, L)).copy()
    stats = {"grad_norm": np.full((n_steps, L), grad), "weight_norm": np.ones((n_steps, L)),
             "grad_nonfinite": np.zeros((n_steps, L)), "update_ratio": ur}
    if weight_std is not None:
        stats["weight_std"] = np.broadcast_to(np.asarray(weight_std, dtype=float), (n_steps, L)).copy()
    return LayerTable(steps=np.arange(1, n_steps + 1), layers=list(layers), stats=stats)


def acts(layers: dict[str, str], n_steps=12, **stats) -> LayerTable:
    """Activation table: layers {name: kind}; stats name -> (steps x layers) or per-layer list."""
    names = list(layers)
    table = {}
    for k, v in stats.items():
        v = np.asarray(v, dtype=float)
        table[k] = v if v.ndim == 2 else np.broadcast_to(v, (n_steps, len(names))).copy()
    return LayerTable(steps=np.arange(1, n_steps + 1), layers=names, stats=table,
                      kinds={n: k for n, k in layers.items() if k})


# ------------------------------------------------------------------ defaults


def test_issue3_defaults():
    """Pinned: change deliberately and re-run `python benchmarks/scenarios.py`."""
    assert DEFAULTS["learning_rate_too_high"]["high_ratio"] == 0.05
    assert DEFAULTS["learning_rate_too_low"]["low_ratio"] == 1e-5
    assert DEFAULTS["dead_units"]["dead_frac"] == 0.5
    assert DEFAULTS["saturated_activations"]["sat_frac"] == 0.5
    assert DEFAULTS["poor_initialization"]["depth_orders"] == 2.0
    assert DEFAULTS["unnormalized_inputs"]["spread"] == 100.0
    assert DEFAULTS["class_imbalance"]["skew_ratio"] == 5.0
    assert DEFAULTS["bayes_gap"]["min_gap"] == 0.02


@pytest.mark.parametrize("name", ISSUE3)
def test_registered(name):
    assert name in DETECTORS


def test_empty_run_is_skipped_not_crashed():
    found, skipped = run_detectors(Run(path="empty", source_format="test"), only=set(ISSUE3))
    assert found == []
    assert {s.detector for s in skipped} == set(ISSUE3)
    assert all(not s.reason.startswith("detector failed") for s in skipped)


# ------------------------------------------------------------------ learning rate


def test_lr_too_high_fires_on_big_updates_and_divergence():
    run = run_with(train_loss=np.geomspace(1, 50, 100))
    run.params = params(0.3)
    [f] = findings(run, "learning_rate_too_high")
    assert f.severity.value == "error"
    assert f.evidence["update_ratio_median"] == pytest.approx(0.3)
    assert f.evidence["end_over_start"] > 1.5


def test_lr_too_high_fires_on_rebound():
    loss = np.concatenate([np.geomspace(2, 0.3, 100), np.geomspace(0.3, 1.5, 100)])
    run = run_with(train_loss=loss)
    run.params = params(0.2)
    [f] = findings(run, "learning_rate_too_high")
    assert f.evidence["rebound"] > 1.5 and f.severity.value == "warning"


def test_a_rebound_needs_a_level_not_two_kinds_of_batches():
    """A loss that alternates between mixed (CutMix) batches at ~0.4 and clean ones near 0: its
    smoothed "level" moves with the mix, which is no rebound (fresh4: a healthy CutMix + focal-loss
    CNN); the same rise on a steady loss still is one."""
    base = np.concatenate([np.geomspace(2, 0.3, 100), np.geomspace(0.3, 1.5, 100)])
    run = run_with(train_loss=base)
    run.params = params(0.2)
    assert [f.problem for f in findings(run, "learning_rate_too_high")] == ["learning_rate_too_high"]
    rng = np.random.default_rng(1)
    clean = np.geomspace(1.0, 0.01, 300)
    mixed = np.where(rng.random(300) < np.linspace(0.3, 0.48, 300), 0.45, clean)
    mixed[:3] = [1.2, 1.1, 1.0]
    run = run_with(train_loss=mixed)
    run.params = params(np.where(np.arange(12)[:, None] < 2, 0.09, 0.03) * np.ones((12, 3)))
    assert findings(run, "learning_rate_too_high") == []
    shape = findings(run, "learning_rate_too_high", max_roughness=100.0)[0].evidence
    assert shape["rebound"] >= 1.5 and shape["roughness"] > 1  # what read as a rebound before


def test_lr_too_high_quiet_when_loss_falls_even_with_big_updates():
    run = run_with(train_loss=falling())
    run.params = params(0.2)
    assert findings(run, "learning_rate_too_high") == []


def test_lr_too_high_quiet_on_healthy_ratio_even_if_loss_stalls():
    run = run_with(train_loss=np.full(100, 1.0))
    run.params = params(1e-3)
    assert findings(run, "learning_rate_too_high") == []


def test_lr_too_high_without_params_needs_a_diverging_loss():
    assert findings(run_with(train_loss=falling()), "learning_rate_too_high") == []
    # a loss that climbs and then overflows is a step size too large ...
    loss = np.concatenate([falling(40), np.geomspace(1.0, 1e6, 10), [np.nan] * 5])
    [f] = findings(run_with(train_loss=loss), "learning_rate_too_high")
    assert f.evidence["went_non_finite"] and f.evidence["first_non_finite_step"] == 51
    # ... one that turns NaN while still falling is a numeric fault (log(0)): not the lr
    loss = np.concatenate([falling(50), [np.nan] * 5])
    assert findings(run_with(train_loss=loss), "learning_rate_too_high") == []


def test_an_early_peak_of_the_updates_does_not_blame_a_nan_at_the_losss_best():
    """Early Adam steps of 0.14 of the weights, then a loss that falls and turns NaN at its best
    (log(0) in a loss written by hand): a numeric fault, not a too-high peak; a loss that climbed
    before its NaN still is."""
    ratios = np.full((12, 3), 0.01)
    ratios[0] = 0.14
    loss = np.concatenate([falling(50), [np.nan] * 5])
    run = run_with(train_loss=loss)
    run.params = params(ratios)
    assert findings(run, "learning_rate_too_high") == []
    climbed = run_with(train_loss=np.concatenate([falling(40), np.geomspace(0.3, 1e3, 10), [np.nan] * 5]))
    climbed.params = params(ratios)
    assert [f.problem for f in findings(climbed, "learning_rate_too_high")] == ["learning_rate_too_high"]


def test_lbfgs_steps_are_not_judged_as_a_learning_rate():
    """LBFGS sizes each step from the curvature (lr 1 is its default): its updates of about the
    weights' own size are not "thrown away" (fresh4: a BYOL script whose probe phase ran LBFGS)."""
    run = run_with(train_loss=np.geomspace(1, 50, 100))
    run.params = params(1.5)
    run.meta["optimizers"] = [{"type": "LBFGS", "lr": 1}]
    assert findings(run, "learning_rate_too_high") == [] and findings(run, "learning_rate_too_low") == []


def test_a_hand_written_loss_that_barely_fell_is_a_note_without_an_accuracy():
    """A Cox partial likelihood or 2 - 2cos has no known floor: a 2% fall is not non-convergence
    by itself (fresh4: a healthy skorch survival model); a rise still is."""
    flat = 1.4 - 0.03 * np.linspace(0, 1, 200)
    run = run_with(train_loss=flat)
    run.meta["losses"] = [{"name": "backward", "kind": "other", "train": True}]
    [f] = findings(run, "non_convergence")
    assert f.severity.value == "info" and "written by hand" in f.summary
    run.meta["losses"] = [{"name": "mse_loss", "kind": "regression", "train": True}]
    [f] = findings(run, "non_convergence")
    assert f.severity.value == "warning"


def test_lr_too_high_too_short_is_quiet():
    run = run_with(train_loss=[1.0, 5.0, 20.0])
    run.params = params(0.5)
    assert findings(run, "learning_rate_too_high") == []


def test_lr_too_low_fires_and_names_the_fastest_layer():
    run = run_with(train_loss=np.linspace(1.10, 1.09, 200))
    run.params = params([1e-7, 3e-7, 2e-6])
    [f] = findings(run, "learning_rate_too_low")
    assert f.evidence["fastest_layer"] == "fc3.weight"
    assert f.evidence["max_layer_update_ratio"] == pytest.approx(2e-6)


def test_lr_too_low_quiet_when_loss_falls_or_ratio_normal():
    run = run_with(train_loss=falling())
    run.params = params(1e-6)
    assert findings(run, "learning_rate_too_low") == []
    run = run_with(train_loss=np.full(200, 1.0))
    run.params = params(1e-3)
    assert findings(run, "learning_rate_too_low") == []


def test_lr_too_low_ignores_layers_without_gradient():
    """Vanishing gradients (|g| = 0 at the input side) must not read as a small learning rate."""
    run = run_with(train_loss=np.full(200, 1.0))
    table = params([0.0, 0.0, 1e-3])
    table.stats["grad_norm"][:, :2] = 0.0
    run.params = table
    assert findings(run, "learning_rate_too_low") == []


def test_lr_too_low_nan_ratios_are_ignored():
    run = run_with(train_loss=np.full(200, 1.0))
    run.params = params(np.nan)
    assert findings(run, "learning_rate_too_low") == []


def test_lr_scale_free():
    """Scaling the loss does not change the answer."""
    loss = np.geomspace(1, 50, 100)
    answers = []
    for scale in (1e-3, 1.0, 1e4):
        run = run_with(train_loss=loss * scale)
        run.params = params(0.3)
        answers.append(problems(run, "learning_rate_too_high"))
    assert answers[0] == answers[1] == answers[2] == {"learning_rate_too_high": "error"}


# ------------------------------------------------------------------ dead units / saturation


def relu_run(dead_fc, n_steps=12, nonfinite=None):
    run = Run(path="t", source_format="test")
    layers = {"fc1": "Linear", "act1": "ReLU", "fc2": "Linear", "act2": "ReLU", "out": "Linear"}
    dead = np.zeros((n_steps, 5))
    dead[:, 1] = dead_fc
    run.activations = acts(layers, n_steps, dead_frac=dead,
                           nonfinite=np.zeros((n_steps, 5)) if nonfinite is None else nonfinite)
    return run


def test_dead_units_at_init():
    [f] = findings(relu_run(0.95), "dead_units")
    assert f.severity.value == "error" and f.layers == ["act1"]
    assert f.evidence["at_init"] is True and f.evidence["worst_dead_fraction"] == pytest.approx(0.95)


def test_dead_units_after_a_big_update_names_the_step():
    dead = np.array([0.0] * 6 + [0.7] * 6)
    run = relu_run(dead)
    run.params = params(1e-3)
    run.params.stats["update_ratio"][5, :] = 0.8  # step 6: the update between the last live and the first dead sample
    [f] = findings(run, "dead_units")
    assert f.evidence["first_dead_step"] == 7 and f.evidence["at_init"] is False
    assert f.evidence["largest_update_step"] == 6
    assert f.evidence["largest_update_ratio_before"] == pytest.approx(0.8)
    assert f.severity.value == "warning"


def test_dead_units_quiet_below_threshold_and_when_recovered():
    assert findings(relu_run(0.2), "dead_units") == []
    assert findings(relu_run(np.array([0.9] * 3 + [0.1] * 9)), "dead_units") == []


def test_dead_units_after_nan_are_not_dead_relus():
    nonfinite = np.zeros((12, 5))
    nonfinite[6:, :] = 100
    assert findings(relu_run(np.array([0.0] * 6 + [1.0] * 6), nonfinite=nonfinite), "dead_units") == []


def test_dead_units_ignores_non_relu_layers():
    run = Run(path="t", source_format="test")
    run.activations = acts({"fc1": "Linear", "act": "LeakyReLU"}, dead_frac=[1.0, 1.0])
    assert findings(run, "dead_units") == []


def test_saturated_hidden_layer_fires_but_output_sigmoid_is_ignored():
    run = Run(path="t", source_format="test")
    layers = {"fc1": "Linear", "t1": "Tanh", "fc2": "Linear", "sig": "Sigmoid"}
    run.activations = acts(layers, sat_frac=[np.nan, 0.8, np.nan, 0.99])
    [f] = findings(run, "saturated_activations")
    assert f.layers == ["t1"] and f.evidence["worst_saturated_fraction"] == pytest.approx(0.8)
    run.activations = acts(layers, sat_frac=[np.nan, 0.1, np.nan, 0.99])
    assert findings(run, "saturated_activations") == []


def test_saturated_all_nan_is_quiet():
    run = Run(path="t", source_format="test")
    run.activations = acts({"fc1": "Linear", "t1": "Tanh", "out": "Linear"}, sat_frac=[np.nan] * 3)
    assert findings(run, "saturated_activations") == []


# ------------------------------------------------------------------ initialisation


def deep_run(stds, kind="ReLU"):
    layers, values = {}, []
    for i, s in enumerate(stds):
        layers[f"fc{i}"] = "Linear"
        values.append(s)
        layers[f"a{i}"] = kind
        values.append(np.nan)
    run = Run(path="t", source_format="test",
              meta={"model": [{"name": n, "type": k} for n, k in layers.items()]})
    run.activations = acts(layers, std=values)
    return run


def test_poor_init_collapse_suggests_he_for_relu():
    [f] = findings(deep_run([1.0, 0.1, 0.01, 1e-3, 1e-4, 0.5]), "poor_initialization")
    assert f.evidence["depth_orders"] == pytest.approx(-4.0)
    assert "He" in f.summary and f.severity.value == "error"


def test_poor_init_explosion_suggests_xavier_for_tanh():
    [f] = findings(deep_run([1.0, 10, 100, 1000, 1.0], kind="Tanh"), "poor_initialization")
    assert f.evidence["depth_orders"] == pytest.approx(3.0) and "Xavier" in f.summary


def test_poor_init_quiet_on_stable_scale_and_too_few_layers():
    assert findings(deep_run([1.0, 0.8, 0.7, 0.75, 0.6]), "poor_initialization") == []
    assert findings(deep_run([1.0, 1e-5]), "poor_initialization") == []


def test_poor_init_constant_hidden_weights():
    run = Run(path="t", source_format="test",
              meta={"param_shapes": {"fc1.weight": [8, 4], "fc2.weight": [8, 8], "fc3.weight": [2, 8]}})
    run.params = params(1e-3, weight_std=[0.3, 0.0, 0.0])
    [f] = findings(run, "poor_initialization")
    assert f.evidence["constant_weight_layers"] == ["fc2.weight"]  # the output layer may start at 0


def test_poor_init_all_zero_weights():
    run = Run(path="t", source_format="test")
    table = params(0.0, weight_std=0.0)
    table.stats["weight_norm"][:] = 0.0
    run.params = table
    [f] = findings(run, "poor_initialization")
    assert f.severity.value == "error" and len(f.evidence["constant_weight_layers"]) == 2


# ------------------------------------------------------------------ inputs


def input_run(std=1.0, spread=1.5, offset=0.3, first="Linear"):
    run = Run(path="t", source_format="test")
    run.activations = acts({"input": "", "fc1": first}, input_std=[std, np.nan],
                           input_mean=[0.0, np.nan], input_feature_scale_spread=[spread, np.nan],
                           input_max_feature_mean=[offset, np.nan])
    return run


@pytest.mark.parametrize("kw,key", [({"std": 80.0}, "input_std"), ({"std": 1e-3}, "input_std"),
                                    ({"spread": 1e4}, "feature_scale_spread"),
                                    ({"offset": 50.0}, "max_feature_mean")])
def test_unnormalized_inputs_fires(kw, key):
    [f] = findings(input_run(**kw), "unnormalized_inputs")
    assert f.evidence[key] == pytest.approx(list(kw.values())[0])


def test_unnormalized_inputs_quiet_on_standardised_and_unit_interval_inputs():
    assert findings(input_run(), "unnormalized_inputs") == []
    assert findings(input_run(std=0.3, offset=0.5), "unnormalized_inputs") == []  # pixels in [0, 1]


def test_unnormalized_inputs_quiet_when_the_model_normalises_first():
    assert findings(input_run(std=80.0, first="BatchNorm1d"), "unnormalized_inputs") == []


def test_unnormalized_inputs_without_input_column_is_quiet():
    run = Run(path="t", source_format="test")
    run.activations = acts({"fc1": "Linear"}, std=[1.0])
    assert findings(run, "unnormalized_inputs") == []


# ------------------------------------------------------------------ class imbalance


def labelled(counts, correct, pred=None, acc=None):
    run = run_with(train_acc=acc) if acc is not None else Run(path="t", source_format="test")
    run.labels = {"train_counts": counts, "train_correct": correct,
                  "train_pred_counts": pred or counts}
    return run


def test_class_imbalance_warns_when_the_rare_class_is_ignored():
    run = labelled([950, 50], [950, 0], [1000, 0], acc=[0.95] * 20)
    [f] = findings(run, "class_imbalance")
    assert f.severity.value == "warning"
    assert f.evidence["skew"] == pytest.approx(19.0) and f.evidence["worst_recall_class"] == 1
    assert f.evidence["per_class_recall"]["1"] == 0.0


def test_class_imbalance_is_info_when_every_class_is_recalled():
    [f] = findings(labelled([900, 100], [850, 80], acc=[0.97] * 20), "class_imbalance")
    assert f.severity.value == "info"


def test_accuracy_below_the_majority_rate_is_harm_unless_the_loss_weighs_the_classes():
    """Every class recalled at least half the time, yet accuracy no better than always predicting
    the majority: under a loss that weighs the classes that is the trade it makes; under a plain
    loss it is a model the skew has hurt (fresh5: a 92/5/3% intent classifier at 91.5% against a
    92.8% majority, balanced accuracy 0.51 against its control's 0.82, read as a note)."""
    counts, correct = [910, 60, 30], [860, 33, 16]  # recalls 0.95, 0.55, 0.53
    plain = labelled(counts, correct, acc=[0.91] * 20)
    [f] = findings(plain, "class_imbalance")
    assert f.severity.value == "warning" and "no better than always predicting" in f.summary
    weighted = labelled(counts, correct, acc=[0.91] * 20)
    weighted.meta["weighted_loss"] = True
    [f] = findings(weighted, "class_imbalance")
    assert f.severity.value == "info"


def test_class_imbalance_quiet_on_balanced_or_few_labels():
    assert findings(labelled([500, 480, 520], [400, 400, 400]), "class_imbalance") == []
    assert findings(labelled([9, 1], [9, 0]), "class_imbalance") == []


def test_class_imbalance_ignores_absent_classes():
    """A 10-way head trained on 3 classes is not 'infinitely' imbalanced."""
    run = labelled([300, 310, 290] + [0] * 7, [250, 260, 240] + [0] * 7)
    assert findings(run, "class_imbalance") == []


def test_class_imbalance_runs_through_registry_with_recorder_label_names():
    run = labelled([950, 50], [950, 0], acc=[0.95] * 20)
    found, skipped = run_detectors(run, only={"class_imbalance"})
    assert [f.problem for f in found] == ["class_imbalance"] and not skipped


# ------------------------------------------------------------------ Bayes gap on a run


def test_bayes_gap_on_run_with_bayes_error():
    run = run_with(train_acc=[0.80] * 20, eval_acc=[0.78] * 5)
    run.context["bayes_error"] = 0.01
    found = problems(run, "bayes_gap")
    assert found == {"high_bias": "warning", "high_variance": "info"} or found == {"high_bias": "warning"}


def test_bayes_gap_without_bayes_error_claims_only_large_variance():
    run = run_with(train_acc=[0.80] * 20, eval_acc=[0.78] * 5)
    assert findings(run, "bayes_gap") == []  # 20% train error but no Bayes error: no claim
    run = run_with(train_acc=[1.0] * 20, eval_acc=[0.7] * 5)
    [f] = findings(run, "bayes_gap")
    assert f.problem == "high_variance" and f.evidence["variance"] == pytest.approx(0.3)


def test_bayes_gap_data_mismatch_from_context():
    run = run_with(train_acc=[0.97] * 20, eval_acc=[0.96] * 5)
    run.context.update(bayes_error=0.02, test_error=0.30)
    [f] = findings(run, "bayes_gap")
    assert f.problem == "data_mismatch" and f.evidence["mismatch"] == pytest.approx(0.26)


def test_bayes_gap_skipped_without_accuracy():
    run = run_with(train_loss=falling())
    run.context["bayes_error"] = 0.05
    _, skipped = run_detectors(run, only={"bayes_gap"})
    assert skipped and skipped[0].detector == "bayes_gap"


def test_bayes_gap_nan_accuracy_is_quiet():
    run = run_with(train_acc=[math.nan] * 5, eval_acc=[math.nan] * 3)
    run.context["bayes_error"] = 0.0
    assert findings(run, "bayes_gap") == []


# ------------------------------------------------------------------ story


def test_story_puts_the_learning_rate_before_its_consequences():
    run = run_with(train_loss=np.concatenate([np.geomspace(1, 1e6, 60), [np.nan] * 5]))
    run.params = params(0.5)
    d = diagnose(run)
    order = [f.problem for f in d.findings if f.severity.value != "info"]
    assert order.index("learning_rate_too_high") < order.index("non_finite")
    nf = next(f for f in d.findings if f.problem == "non_finite")
    assert nf.caused_by in ("learning_rate_too_high", "exploding_gradients")


def test_lr_too_high_from_a_schedule_that_peaks_too_high():
    """A warm-up to too high a rate: a few early steps move the weights by ~6% of their norm,
    then everything is small again (the units died); the loss ends far above its best."""
    from synthetic import param_table, run_with
    n = 14
    g = np.full((n, 3), 0.1)
    table = param_table(g, names=["c1.weight", "c2.weight", "fc.weight"])
    ur = np.full((n, 3), 1e-6)
    ur[6:9] = 0.08
    table.stats["update_ratio"] = ur
    loss = np.concatenate([np.linspace(1.1, 0.01, 30), np.full(30, 20.0), np.full(140, 1.1)])
    run = run_with(train_loss=loss)
    run.params = table
    (f,) = findings(run, "learning_rate_too_high")
    assert f.evidence["update_ratio_peak"] == pytest.approx(0.08)
    assert f.evidence["update_ratio_median"] < 0.05
