"""The ten classes of error seen on runs nobody calibrated on (issue 12), on synthetic Runs: each
test pins what is measured and against what. Real trainings of the same classes are in
tests/test_corpus_subset.py."""
from __future__ import annotations

import numpy as np

from synthetic import param_table, run_with
from test_detectors_issue3 import deep_run, falling, findings, labelled, params
from traindx.diagnose import Finding, Severity, diagnose
from traindx.diagnose.signals import fmt_pair, like_groups
from traindx.diagnose.story import order

EV_STEPS = np.arange(20, 401, 20)


# ------------------------------------------------------------------ 1. overfitting
def test_fit_to_zero_with_eval_flat_at_its_best_is_not_overfitting():
    """Train loss to ~0, eval loss flat at its best (tiny wiggles): the normal end of training."""
    ev = np.concatenate([np.geomspace(2.0, 0.12, 6), 0.12 + 0.004 * np.sin(np.arange(14))])
    run = run_with(train_loss=np.geomspace(2.3, 1e-4, 400), eval_loss=(EV_STEPS, ev),
                   train_acc=np.linspace(0.3, 1.0, 400), eval_acc=(EV_STEPS, np.r_[np.linspace(0.3, 0.96, 6), [0.96] * 14]))
    assert findings(run, "overfitting") == []


def test_small_rise_of_small_losses_is_not_overfitting():
    """Eval loss 0.050 -> 0.058 (16%) after falling from 2.3: it gives back 0.4% of what it learned."""
    ev = np.concatenate([np.geomspace(2.3, 0.05, 8), np.linspace(0.05, 0.058, 12)])
    run = run_with(train_loss=np.geomspace(2.3, 1e-4, 400), eval_loss=(EV_STEPS, ev))
    assert findings(run, "overfitting") == []


def test_sustained_rise_that_gives_back_learning_is_overfitting():
    ev = np.concatenate([np.geomspace(2.3, 0.6, 6), np.linspace(0.65, 1.6, 14)])
    run = run_with(train_loss=np.geomspace(2.3, 1e-3, 400), eval_loss=(EV_STEPS, ev),
                   eval_acc=(EV_STEPS, np.r_[np.linspace(0.2, 0.8, 6), np.linspace(0.8, 0.74, 14)]))
    (f,) = findings(run, "overfitting")
    assert f.evidence["criterion"] == "eval_loss_rise" and f.evidence["given_back"] > 0.5
    assert f.severity == Severity.WARNING and "eval accuracy fell from its best" in f.summary


def test_rising_eval_loss_with_improving_eval_accuracy_is_not_overfitting():
    """The loss rises because the model grows confident, but it classifies better and better."""
    ev = np.concatenate([np.geomspace(2.3, 0.6, 6), np.linspace(0.65, 1.2, 14)])
    run = run_with(train_loss=np.geomspace(2.3, 1e-3, 400), eval_loss=(EV_STEPS, ev),
                   eval_acc=(EV_STEPS, np.linspace(0.2, 0.9, 20)))
    assert findings(run, "overfitting") == []


def test_a_single_high_eval_is_not_a_sustained_rise():
    ev = np.concatenate([np.geomspace(2.3, 0.6, 17), [0.9, 0.61, 0.6]])
    run = run_with(train_loss=np.geomspace(2.3, 1e-3, 400), eval_loss=(EV_STEPS, ev))
    assert findings(run, "overfitting") == []


def test_error_gap_in_points_is_overfitting_and_says_so():
    ev = np.r_[np.geomspace(2.3, 0.9, 6), np.full(14, 0.9)]
    run = run_with(train_loss=np.geomspace(2.3, 1e-3, 400), eval_loss=(EV_STEPS, ev),
                   train_acc=np.linspace(0.3, 1.0, 400), eval_acc=(EV_STEPS, np.r_[np.linspace(0.3, 0.7, 6), [0.7] * 14]))
    ev[-3:] += [0.01, 0.02, 0.01]
    (f,) = findings(run, "overfitting")
    assert f.evidence["criterion"] == "error_gap" and "points above eval accuracy" in f.summary


# ------------------------------------------------------------------ 2. class imbalance
def _lm_run(counts, acc):
    run = labelled(counts, [c // 3 for c in counts], acc=acc)
    run.meta = {"model": [{"name": "tok_emb", "type": "Embedding"}, {"name": "head", "type": "Linear"}],
                "param_shapes": {"tok_emb.weight": [len(counts), 32], "head.weight": [len(counts), 32]}}
    return run


def test_token_frequencies_of_a_language_model_are_not_class_imbalance():
    counts = [5000, 3000, 800, 400, 100, 50, 20, 10]
    assert findings(_lm_run(counts, [0.4] * 20), "class_imbalance") == []
    # the same skew in a classifier (no embedding over the classes) is still judged
    assert findings(labelled(counts, [c // 3 for c in counts], acc=[0.4] * 20), "class_imbalance")


def test_imbalance_explains_non_convergence_only_when_the_model_predicts_the_majority():
    nc = Finding("non_convergence", Severity.ERROR, "stuck")
    ci = Finding("class_imbalance", Severity.WARNING, "skewed", evidence={"predicts_majority": False})
    order([nc, ci])
    assert nc.caused_by is None
    ci.evidence["predicts_majority"] = True
    order([nc, ci])
    assert nc.caused_by == "class_imbalance"


def test_majority_predictions_are_measured_from_prediction_counts():
    run = labelled([950, 50], [950, 0], [1000, 0], acc=[0.95] * 20)
    (f,) = findings(run, "class_imbalance")
    assert f.evidence["predicts_majority"] and f.evidence["majority_prediction_share"] == 1.0
    run = labelled([900, 100], [850, 80], [830, 170], acc=[0.93] * 20)
    (f,) = findings(run, "class_imbalance")
    assert not f.evidence["predicts_majority"]


# ------------------------------------------------------------------ 3. exploding gradients
def test_gradients_huge_from_the_first_step_are_exploding_even_when_flat():
    g = np.full((20, 4), 30.0)  # |g|/|w| = 30 on every layer, every step, no growth
    run = run_with(train_loss=np.full(20, 5.0))
    run.params = param_table(g, names=["fc1.weight", "fc2.weight", "fc3.weight", "out.weight"])
    (f,) = findings(run, "exploding_gradients")
    assert "from the first steps" in f.summary and f.evidence["median_early_relative_grad"] == 30.0


def test_huge_gradients_under_adam_are_excused_only_by_a_loss_that_trained():
    """Adam's steps do not scale with the gradient: a VAE's loss summed over pixels gives |g|/|w|
    ~ 14 and trains well (not exploding). A ReLU RNN under Adam whose gradients are 1e8x its weights
    and whose MSE falls from 1e10 to 3e3, 3e4x the targets' variance, did not train: exploding."""
    g = np.full((20, 4), 14.0)
    names = ["fc1.weight", "fc2.weight", "fc3.weight", "out.weight"]
    vae = run_with(train_loss=np.geomspace(100.0, 13.0, 20))
    vae.params, vae.meta["optimizers"] = param_table(g, names=names), [{"type": "Adam", "lr": 1e-3}]
    assert findings(vae, "exploding_gradients") == []
    rnn = run_with(train_loss=np.geomspace(1e10, 3.5e3, 20), target_var=np.full(20, 0.105))
    rnn.params = param_table(np.full((20, 4), 1e8), names=names)
    rnn.meta["optimizers"] = [{"type": "Adam", "lr": 1e-3}]
    (f,) = findings(rnn, "exploding_gradients")
    assert "from the first steps" in f.summary


def test_well_scaled_gradients_are_not_exploding():
    g = np.full((20, 4), 0.01)
    run = run_with(train_loss=falling(20))
    run.params = param_table(g)
    assert findings(run, "exploding_gradients") == []


def test_late_spike_is_judged_against_the_early_level_not_a_shrunken_median():
    """Gradients shrink 1000x as the loss reaches zero; a late bump to the early level is no spike."""
    norms = np.r_[np.geomspace(1.0, 1e-3, 300), np.full(700, 1e-4)]
    norms[800] = 0.5
    run = run_with(train_loss=np.geomspace(2.0, 1e-5, 1000), grad_norm=norms)
    assert findings(run, "exploding_gradients") == []
    norms[800] = 1e3  # 3 orders above even the early level
    (f,) = findings(run_with(train_loss=np.geomspace(2.0, 1e-5, 1000), grad_norm=norms),
                    "exploding_gradients")
    assert f.evidence["peak_step"] == 801 and "threshold" in f.summary


# ------------------------------------------------------------------ 4. lr far too high
def test_first_updates_the_size_of_the_weights_make_lr_too_high_an_error():
    """Update/weight ratio 50 at the first steps; the loss even falls afterwards."""
    run = run_with(train_loss=falling(40, 5.0, 2.0))
    run.params = params(50.0, n_steps=12)
    (f,) = findings(run, "learning_rate_too_high")
    assert f.severity == Severity.ERROR and "throws the weights away" in f.summary


def test_root_cause_is_raised_to_the_severity_of_its_consequences():
    lr = Finding("learning_rate_too_high", Severity.WARNING, "big steps")
    sat = Finding("saturated_activations", Severity.ERROR, "tanh at +-1")
    van = Finding("vanishing_gradients", Severity.ERROR, "shrink")
    ordered = order([van, sat, lr])
    assert ordered[0] is lr and lr.severity == Severity.ERROR
    # saturated tanh units pass no gradient (the mechanism measured in the model), the lr pushed them
    # there; a depth profile under a too-high lr is a note under that root
    assert sat.caused_by == "learning_rate_too_high" and van.caused_by == "saturated_activations"
    assert van.severity == Severity.INFO and "a note while learning rate too high" in van.summary


def test_loss_that_jumps_orders_of_magnitude_is_lr_too_high_from_curves_alone():
    loss = np.r_[np.linspace(2.3, 1.0, 10), [1e16], np.linspace(2.0, 1.5, 9)]
    (f,) = findings(run_with(train_loss=loss), "learning_rate_too_high")
    assert f.severity == Severity.ERROR and "jumped" in f.summary


# ------------------------------------------------------------------ 5. lr too low, adaptive
def test_adaptive_optimiser_at_a_tiny_lr_crawls():
    """AdamW at 1e-5: every layer moves ~5e-5 of its norm a step; the loss falls 8%, steadily."""
    run = run_with(train_loss=np.linspace(4.2, 3.85, 300))
    run.params = params([5e-5, 6e-5, 4e-5], n_steps=12)
    (f,) = findings(run, "learning_rate_too_low")
    assert "still falling steadily" in f.summary


def test_small_updates_with_a_plateaued_loss_are_not_a_crawl():
    """Converged: the loss flattened out (second half barely moves), small updates are expected."""
    run = run_with(train_loss=np.r_[np.geomspace(2.0, 1.2, 100), np.full(200, 1.2)])
    run.params = params([5e-5, 6e-5, 4e-5], n_steps=12)
    assert findings(run, "learning_rate_too_low") == []


# ------------------------------------------------------------------ 6. vanishing in transformers
def _transformer(qk=1e-5, other=1e-2, blocks=4):
    names, g = [], []
    for b in range(blocks):
        for part, v in (("attn.q_proj", qk), ("attn.k_proj", qk), ("attn.v_proj", other),
                        ("mlp.fc1", other), ("mlp.fc2", other)):
            names.append(f"blocks.{b}.{part}.weight")
            g.append(v)
    names.append("head.weight")
    g.append(other)
    run = run_with(train_loss=falling(40))
    run.params = param_table(np.tile(g, (12, 1)), names=names)
    return run


def test_small_query_key_gradients_are_compared_with_their_own_kind():
    assert findings(_transformer(), "vanishing_gradients") == []


def test_like_groups_put_repeated_kinds_together():
    names = ["blocks.0.q.weight", "blocks.0.fc.weight", "blocks.1.q.weight", "blocks.1.fc.weight"]
    assert like_groups(names, 2) == [[0, 2], [1, 3]]


def test_vanishing_within_one_kind_across_blocks_still_fires():
    run = _transformer()
    g = run.params.get("grad_norm")
    for b in range(4):  # every kind shrinks 10x per block towards the input
        g[:, b * 5:(b + 1) * 5] *= 10.0 ** (b - 3)
    (f,) = findings(run, "vanishing_gradients")
    assert "same kind" in f.evidence["compared"]


# ------------------------------------------------------------------ 7. init before the first update
def test_initialisation_is_judged_only_before_the_first_update():
    run = deep_run([1.0, 1e-2, 1e-4, 1e-6])
    assert findings(run, "poor_initialization")
    run.activations.steps = run.activations.steps + 5  # first measured after 5 updates
    assert findings(run, "poor_initialization") == []


# ------------------------------------------------------------------ 10. sentences and numbers
def test_fmt_pair_shows_a_change():
    assert fmt_pair(10.71, 10.74) == ("10.71", "10.74")
    assert fmt_pair(2.0, 3.0) == ("2", "3")


def test_non_convergence_far_above_chance_does_not_call_it_the_chance_level():
    run = run_with(train_loss=np.full(60, 17.7))
    run.labels = {"train_counts": [100, 100, 100]}
    (f,) = findings(run, "non_convergence")
    assert "above the chance level" in f.summary


def test_rising_loss_sentence_shows_distinct_numbers():
    run = run_with(train_loss=np.linspace(10.70, 10.78, 60))
    (f,) = findings(run, "non_convergence")
    start, end = f.summary.split("from about ")[1].split(" to about ")
    assert start != end.split(" ")[0]


def test_diagnosis_of_healthy_synthetic_run_stays_healthy():
    run = run_with(train_loss=falling(200), eval_loss=(np.arange(20, 201, 20), np.geomspace(2, 0.3, 10)),
                   grad_norm=1 + 0.2 * np.random.default_rng(1).random(200))
    assert diagnose(run).verdict == "healthy"


def test_a_loss_that_falls_fast_from_its_first_point_has_not_jumped():
    """The first epoch's loss is the highest point of a healthy fast fit: not a jump."""
    loss = np.r_[[1.09, 0.006], np.full(148, 1e-4)]
    assert findings(run_with(train_loss=loss), "learning_rate_too_high") == []


def test_bayes_gap_is_not_judged_on_a_run_that_ended_non_finite():
    run = run_with(train_loss=np.r_[np.linspace(3, 1.3, 100), [np.nan] * 30],
                   eval_loss=([50, 100, 130], [1.8, 1.3, np.nan]), train_acc=np.full(130, 0.55),
                   eval_acc=([50, 100, 130], [0.4, 0.55, 0.03]))
    assert findings(run, "bayes_gap") == []


def test_lr_too_high_is_a_consequence_of_an_initialisation_measured_before_any_update():
    lr = Finding("learning_rate_too_high", Severity.ERROR, "first updates as large as the weights")
    init = Finding("poor_initialization", Severity.WARNING, "activations explode with depth")
    ex = Finding("exploding_gradients", Severity.ERROR, "huge")
    ordered = order([lr, ex, init])
    assert ordered[0] is init and lr.caused_by == "poor_initialization"


def test_gradient_norm_growing_while_the_loss_keeps_falling_is_not_exploding():
    """A healthy transformer classifier: its gradient norm grows 2.2 orders as it grows
    confident, its loss falls all the while."""
    norms = np.geomspace(0.1, 16.0, 240) * (1 + 0.1 * np.random.default_rng(2).random(240))
    run = run_with(train_loss=np.geomspace(0.7, 0.01, 240), grad_norm=norms)
    assert findings(run, "exploding_gradients") == []
    run = run_with(train_loss=np.full(240, 0.7), grad_norm=norms)  # the same growth, loss stuck
    (f,) = findings(run, "exploding_gradients")
    assert "sustained" in f.summary and f.evidence["loss_at_growth_over_start"] > 0.9


def test_a_loss_that_is_nan_from_its_first_step_does_not_blame_the_learning_rate():
    run = run_with(train_loss=np.full(40, np.nan))
    assert findings(run, "learning_rate_too_high") == []


def test_a_jump_right_after_the_first_logged_point_counts():
    """HF Trainer at lr 3 logs 0.69, then 19.9, then ~1.1: the jump is the second point."""
    loss = np.r_[[0.69, 19.9], np.full(10, 1.1)]
    (f,) = findings(run_with(train_loss=loss), "learning_rate_too_high")
    assert "jumped" in f.summary


def test_a_log_already_rising_at_its_start_jumps_from_its_first_point():
    """HF Trainer logging every few steps at lr 3: 2.3, 9.3, 21.5, 27.4, then down to 1.1."""
    loss = [2.306, 9.312, 21.532, 27.36, 19.851, 12.749, 11.123, 9.102, 8.024, 7.15, 6.739, 5.1, 3.2, 1.133]
    (f,) = findings(run_with(train_loss=loss), "learning_rate_too_high")
    assert f.evidence["jump"] > 10


def test_a_climb_from_the_first_point_is_a_jump_even_when_the_start_level_is_inflated():
    """fresh6: a tiny LM at Adam lr 0.1 logged 3.65, 14.3, 85.7, 107, 303, ... 483, then recovered
    to 1.2; the first tenth's median (140) is the explosion, not the start: each point doubling the
    one before is a climb, not an outlier first batch."""
    loss = np.r_[[3.65, 14.3, 85.7, 106.5, 302.7, 246.0, 150.7, 139.7, 141.4, 143.4, 482.5, 156.5, 214.2,
                  190.0, 143.3, 138.4, 98.4, 69.7, 68.3, 58.1], np.geomspace(54.0, 1.2, 180)]
    (f,) = findings(run_with(train_loss=loss), "learning_rate_too_high")
    assert f.evidence["jump"] > 100


def test_an_accuracy_that_collapsed_from_its_best_is_a_too_high_lr_from_a_log():
    """fresh6: a Keras log at SGD lr 0.5: train accuracy 66% at epoch 0, 33% at the end, the loss
    finite and falling from 3.2 to 1.36 (no jump, no NaN). Noisy per-batch accuracy of a healthy
    small-batch run (dips of ~0.1) is not a collapse."""
    acc = [0.661, 0.631, 0.527, 0.497, 0.425, 0.410, 0.340, 0.344, 0.320, 0.331]
    loss = [3.18, 1.85, 1.90, 2.03, 1.95, 1.34, 1.37, 1.35, 1.35, 1.36]
    (f,) = findings(run_with(train_loss=loss, train_acc=acc), "learning_rate_too_high")
    assert f.evidence["accuracy_lost"] > 0.25 and "undid what the model had learned" in f.summary
    noisy = 0.9 - 0.5 * np.exp(-np.arange(40) / 5) + 0.06 * np.sin(np.arange(40) * 1.7)
    assert findings(run_with(train_loss=np.geomspace(2, 0.3, 40), train_acc=noisy),
                    "learning_rate_too_high") == []


def test_repeated_spikes_of_an_epoch_mean_loss_are_a_too_high_lr_unless_the_lr_was_raised():
    """fresh8: an RMSE log under Adam at lr 0.2 whose epoch means double five times after settling
    (0.27 -> 0.6); an epoch mean averages a whole pass of batches, so it moves smoothly unless the
    steps throw the model around. A warm restart raises the lr on purpose: its spikes are not."""
    loss = [0.77, 0.45, 0.33, 0.3, 0.27, 0.26, 0.62, 0.24, 0.23, 0.22, 0.22, 0.3, 0.21, 0.2, 0.2, 0.21,
            0.2, 0.26, 0.19, 0.24, 0.2, 0.55, 0.2, 0.19, 0.2, 0.58, 0.21, 0.45, 0.2, 0.47]
    run = run_with(train_loss=loss, lr=[0.2] * 30)
    run.meta["x_axis"] = "epoch"
    (f,) = findings(run, "learning_rate_too_high")
    assert f.evidence["loss_spikes"] == 5 and f.evidence["loss_spike_epochs"][0] == 7
    restarts = run_with(train_loss=loss, lr=[0.2 if i in (6, 21, 25, 27, 29) else 0.02 for i in range(30)])
    restarts.meta["x_axis"] = "epoch"
    assert findings(restarts, "learning_rate_too_high") == []
    smooth = run_with(train_loss=np.geomspace(0.8, 0.01, 30) * (1 + 0.3 * (np.arange(30) % 2)))
    smooth.meta["x_axis"] = "epoch"  # wiggles of a third around a falling loss are no spikes
    assert findings(smooth, "learning_rate_too_high") == []


def test_an_outlier_first_batch_is_not_the_start_of_a_jump():
    loss = np.r_[[0.01], 1.0 + 0.2 * np.random.default_rng(3).random(60)] * np.linspace(1, 0.5, 61)
    assert findings(run_with(train_loss=loss), "learning_rate_too_high") == []
