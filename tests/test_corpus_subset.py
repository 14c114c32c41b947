"""The fast lane of the corpus nobody tuned on (tests/corpus/, `python benchmarks/corpus.py` for
all of it): the framework logs the corpus wrote, saved as fixtures, and real zero-code trainings
that stand for the ten classes of error of issue 12. Each case is judged by its own labels
(expect / allow / forbid), which its author set from a control run, not from traindx."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from conftest import full_only
from traindx.api import diagnose_path

ROOT = Path(__file__).resolve().parents[1]
LOGS = ROOT / "tests" / "fixtures" / "corpus_logs"
_spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["corpus"] = corpus  # dataclasses look their module up there
_spec.loader.exec_module(corpus)
CASES = {c.name: c for c in corpus.load()}


# What a framework's log cannot show yet: the loss curve alone does not tell these apart from
# other causes (a loss flat in noise from a tiny lr looks like any stuck run; a log whose first
# point is already exploded has no "before"). A loss that crawls down in a straight line is read
# (keras_adam_1e6, skorch_sgd_1e5). Reported in the README; strict, so a fix must remove them.
KNOWN_LOG_GAPS = {
    "hf_keras_skorch/learning_rate_too_high_keras_sgd_lr20": "epoch averages oscillate, no jump",
    # the fresh sets' logs (written after the first corpus; their misses, as first met)
    "fresh_lightning_ignite_skorch/learning_rate_too_high_skorch_adam_digits": "erratic, bounded loss",
    "fresh_lightning_ignite_skorch/learning_rate_too_low_lightning_sgd_plateau_ckpt":
        "per-step train loss too noisy for the straight-line test",
    "fresh_lightning_ignite_skorch/healthy_lightning_manual_opt_waveforms_tb":
        "a 10-point train/val accuracy gap read as high variance",
    "fresh2_hf_keras_skorch/learning_rate_too_low_skorch_regressor_sgd": "slow fall, not a line",
    "fresh3_lightning_fabric_ignite_accelerate/learning_rate_too_low_lightning_accumulate_grad_regression":
        "the train loss bends: not a straight-line crawl",
    "fresh4_keras_skorch_ignite_tabular/high_bias_ignite_operating_envelope":
        "no Bayes error: a plateau reads as non-convergence, its cause unnamed",
    "fresh4_lightning_hf_accelerate/dead_units_acc_prior_bias_everywhere": "a flat loss at a skewed prior",
    "fresh4_lightning_hf_accelerate/high_variance_hf_vit_few_labels": "no train accuracy in the log",
    # fresh5's logs (written after fresh4 had been looked at; their misses after this round's fixes)
    "fresh5_keras_skorch_ignite/healthy_keras_finetune_low_lr": "a 44% fall in a straight line read as a crawl",
    "fresh5_keras_skorch_ignite/learning_rate_too_high_keras_sgd_typo":
        "a loss flat from epoch 1: the log does not name its optimiser",
    "fresh5_lightning_hf/high_bias_accelerate_linear_probe": "a log holds no model: no capacity claim",
    "fresh5_lightning_hf/learning_rate_too_high_hf_bert_ner":
        "eval accuracy frozen at the majority tag; the log does not name its optimiser",
    "fresh4_lightning_hf_accelerate/learning_rate_too_low_lit_warmup_per_epoch":
        "a per-epoch warm-up that never warms: the loss bends",
    "fresh5_lightning_hf/vanishing_gradients_hf_deep_sigmoid_mlp":
        "SGD at 0.05 passed as optimizers=(opt, None): a trainer_state.json does not name it, and the "
        "Trainer's default AdamW at that lr would be too high (said at warning, naming the assumption)",
    # fresh6's logs (written after fresh5 had been looked at; their misses after this round's fixes)
    "fresh6_frameworks/dead_units_keras_relu_killed_by_big_sgd_step":
        "the loss fell 57% to ln 4 from a bad start; no chance level in a Keras log (the collapse of "
        "its accuracy reads as lr too high)",
    "fresh6_frameworks/high_bias_keras_forgot_activations": "a log holds no model: no capacity claim",
    "fresh6_own_logs/high_bias_tiny_mlp_spirals_tb": "no Bayes error and no model in a log",
    "fresh6_own_logs/learning_rate_too_low_cnn_shapes_tb":
        "SGD at 2e-4 with a loss flat at chance: a log that does not name its optimiser",
    # fresh7's and fresh8's logs (saved after the fresh8 round; their misses as they stand)
    "fresh7_framework_tracker_logs/high_bias_keras_csvlogger_linear_rings": "a log holds no model: no capacity claim",
    "fresh7_research_styles/high_bias_weight_decay_typo": "a log holds no weights: no decay claim",
    "fresh8_framework_callbacks/healthy_skorch_classifier_history_json":
        "a 7-epoch eval loss 20% above its best with accuracy at its best, read as overfitting",
    "fresh8_tracker_logs/high_bias_pandas_csv_tiny_mlp_rings": "a log holds no model: no capacity claim",
    "fresh8_tracker_logs/high_bias_wandb_linear_regressor": "a log holds no model: no capacity claim",
    "fresh8_tracker_logs/learning_rate_too_high_tensorboard_sgd":
        "SGD at 1.5 whose loss sits high: a log that does not name its optimiser",
    # fresh9's logs (saved after the fresh9 round; their misses as they stand)
    "fresh9_more_logs/high_bias_fastai_table_bottleneck_mlp": "a log holds no model: no capacity claim",
    "fresh9_more_logs/learning_rate_too_high_tqdm_postfix_sgd":
        "SGD at 0.8 whose epoch losses stay bounded and noisy: no jump, no rebound",
    "fresh9_more_logs/learning_rate_too_low_aim_export_tabular_mlp":
        "Adam at 3e-6: a loss that fell 5% in a curve, not a straight line; the export's lr not read",
    # fresh11's logs (saved after the fresh11 round; their misses as they stand)
    "fresh11_frameworks/healthy_keras_churn_categorical_embeddings":
        "a 9.6% fall over 14 epochs on a task whose Bayes error is near the majority's: read as a plateau",
    "fresh11_frameworks/high_bias_ignite_spiral_two_unit_hidden": "a log holds no model: no capacity claim",
    "fresh11_frameworks/learning_rate_too_high_hf_gpt2_lm_lr_typo":
        "AdamW at 0.1 whose loss sits near ln V: a trainer_state.json does not name its optimiser",
    "fresh11_frameworks/non_convergence_keras_churn_labels_shuffled_apart":
        "a loss at ln 2 drifting 0.9% in a straight line reads as a crawl, not as chance (no label counts)",
    "fresh11_log_formats/learning_rate_too_high_nanogpt_log_lr_typo":
        "judged since its per-iteration loss is read: a loss that fell 7.9% reads as a plateau, not as the lr",
    "fresh11_log_formats/non_convergence_fastai_table_zero_grad_before_step": "6 epochs: not judged",
    "fresh11_log_formats/overfitting_yolo_results_fraction_left_on":
        "an eval loss 46% of the way back to the untrained loss, stalled at its best (threshold 50%)",
    "fresh11_lookalikes_subtle/healthy_curriculum_loss_rises_with_harder_pool_jsonl":
        "a curriculum's harder data raises the epoch loss: read as steps thrown out (the log does not "
        "say the data changed)",
    "fresh11_textbook_code/learning_rate_too_low_makemore_step_decay_typo":
        "a decay to 1e-15 by a third of the run, after the loss had flattened: the log cannot tell it "
        "from convergence",
    "fresh11_textbook_code/overfitting_d2l_high_dim_regression_20_examples":
        "a validation loss flat from its first point, below the first train loss: no gap in its scale",
    # fresh12's logs (saved after the fresh12 round; their misses as they stand)
    "fresh12_framework_depth/learning_rate_too_high_keras_subclassed_train_step_lr_scheduler_typo":
        "an lr doubled every 3 epochs: found, with a train/val error gap read as high variance beside it",
    "fresh12_framework_depth/overfitting_lightning_limit_train_batches_left_on":
        "a validation loss 8.5% above its best (giving back 1.2% of its fall) with a 9.6-point error gap: "
        "below both lines, as a healthy fit to zero with a creeping validation loss",
    "fresh12_messy_scripts/overfitting_patience_never_triggers_while_true_digits":
        "a validation loss giving back 6% of its fall with a 9-point error gap: below both lines",
    "fresh12_modern_idioms/overfitting_tiny_subset_accum_bf16_no_regularisation":
        "a validation loss 12% above its best (3% of its fall) with a 14-point error gap: below both lines",
    # fresh13's logs (saved after the fresh13 round; their misses as they stand)
    "fresh13_cluster_scripts/learning_rate_too_high_ddp_cnn_lr_scaled_by_64_gpus":
        "a first logged point already exploded (82.8 at step 10), then a loss at chance: no 'before'",
    "fresh13_scientific_ml/learning_rate_too_high_lorenz_onestep_plain_sgd":
        "an MSE bouncing at 36-106 from its first epoch: no 'before', no target variance in the log",
    "fresh13_late_onset/overfitting_late_small_digits_subset_csv":
        "a validation loss 19% above its best with an 11-point error gap: read as high variance",
    "fresh13_scientific_ml/overfitting_steel_yield_30_specimens_wide_mlp":
        "a validation loss stalled at its best, 25% of the way back to its first (threshold 50%)",
    "fresh13_international/non_convergence_es_vino_etiquetas_barajadas_csv":
        "shuffled labels memorised: train loss falls while validation rises, read as overfitting",
    "fresh13_late_onset/non_finite_manual_bce_log_when_confident_csv":
        "a log(0) NaN after noisy batch losses whose last finite points sit 2x their best: blamed on the lr",
    # fresh14's logs (saved after the fresh14 round; their misses as they stand)
    "fresh14_kaggle_notebooks/dead_units_copied_init_negative_bias_churn":
        "a constant output's loss falling 6.7% in a straight line over 19 epochs: read as a too-low lr "
        "(dead units do not show in a log)",
    "fresh14_kaggle_notebooks/healthy_groupkfold_target_encoding_rmsle_log1p":
        "one fold of four: a val MSE 12% above its best at epoch 2, 36% of the fall seen after epoch 1 "
        "(a regression's epoch log does not know its untrained level)",
    "fresh14_kaggle_notebooks/learning_rate_too_high_otto_like_kfold_sgd_momentum":
        "the lr found in one fold; another fold's val loss up 60% while its train loss fell 44%: "
        "read as overfitting",
    "fresh14_messy_logs/high_bias_mlflow_store_resumed_linear_moons": "a log holds no model: no capacity claim",
    "fresh14_messy_logs/learning_rate_too_high_lightning_csv_adam_digits":
        "Adam at 0.1 whose epoch loss still falls: no jump, no rebound",
    "fresh14_messy_logs/learning_rate_too_low_wandb_export_cnn_digits":
        "a loss at chance falling 1.4%: non-convergence, its cause unnamed (no lr column in the export)",
    "fresh14_messy_logs/non_convergence_keras_style_stdout_shuffled_labels_digits":
        "shuffled labels memorised: a train accuracy 19 points above validation read as overfitting",
    # fresh15's logs (saved after the fresh15 round; their misses as they stand)
    "fresh15_graphs_recsys_ranking/healthy_two_tower_inbatch_infonce_floor":
        "an InfoNCE loss at its floor by design, 6.9% below its second point, while recall@10 rises: "
        "a retrieval metric is not read as an accuracy",
    "fresh15_graphs_recsys_ranking/overfitting_mf_dim256_no_regularisation":
        "a validation MSE stalled 23% below its first point while train went to 1e-4: an epoch log of "
        "a regression does not know its untrained level",
    "fresh15_tool_logs/exploding_gradients_hf_trainer_state_irnn_recurrent_gain":
        "a grad_norm of 1e4-1e6 that falls: no weights in a trainer_state.json to compare it with",
    "fresh15_tool_logs/high_bias_sklearn_verbose_log_circles_two_hidden_units":
        "a log holds no model: no capacity claim",
    "fresh15_tool_logs/learning_rate_too_high_fastai_table_lr_find_misread":
        "a validation loss 24% above its best after epoch 1 read as overfitting; the lr not named",
    "fresh15_training_engineering/learning_rate_too_high_accum_loss_not_divided":
        "a loss that rose 14% in 100 steps: non-convergence, its cause unnamed (the log holds no "
        "update sizes)",
    # fresh16's logs (saved after the fresh16 round; their misses as they stand)
    "fresh16_console_logs/high_bias_kv_interleaved_val_linear_model_wavy_bands":
        "a log holds no model: no capacity claim",
    "fresh16_generative_selfsup/learning_rate_too_high_realnvp_circles_adam_csv":
        "a flow's NLL bouncing between 2.64 and 3.02 under Adam at 0.03: no optimiser named in the CSV, "
        "no jump, no rebound",
    "fresh16_generative_selfsup/overfitting_big_autoencoder_200_digits_csv":
        "a reconstruction error stalled 2% above its best while train fell 5x below it: an epoch log of "
        "a regression does not know its untrained level",
    # fresh17's logs (saved after the fresh17 round; their misses as they stand)
    "fresh17_functional_ports/learning_rate_too_low_exponential_decay_transition_steps":
        "an lr schedule that reached 1e-6 at 42% of the run after the model had learned (89.6%): the "
        "collapse rule wants it within a third of the run, near the chance level",
    "fresh17_notebook_exports/learning_rate_too_high_learn_the_basics_sgd_lr1":
        "printed test accuracies swinging between 15% and 50% with no jump of the loss: too few "
        "evaluations for the swing rule",
    "fresh17_notebook_exports/non_convergence_kaggle_sorted_features_labels_misaligned":
        "labels misaligned with the features: the model memorises them and the held-out loss rises, "
        "read as overfitting (allowed), not as non-convergence",
    "fresh17_scales_and_units/high_bias_width2_bottleneck_500class":
        "a 2-unit bottleneck's loss creeping down in a straight line: from a log alone, a too-low lr",
    # fresh18's logs (saved after the fresh18 round)
    "fresh18_training_recipes/learning_rate_too_high_accum_warmup_cosine_csv":
        "a warm-up + cosine to a peak lr of 0.3 whose accuracy collapsed at the first evaluation and "
        "sits near chance: the CSV does not name AdamW, and one early point is no collapse",
    # fresh19's logs (saved after the fresh19 round)
    "fresh19_bias_variance/healthy_tensorboard_gaussian_analytic_bayes":
        "a loss flat at a Bayes error of 11.5%: its `error/train` tags are not read as error rates, so "
        "the `error/bayes` it logs has no scale to be used on",
    "fresh19_bias_variance/high_bias_lightning_two_hidden_units":
        "a regression logging its noise MSE as `bayes_error` beside no error rate: an error rate or an "
        "MSE cannot be told, so it is not used (as `bayes_mse` it would be)",
}


def _flagged(diagnosis) -> list[str]:
    return [f.problem for f in diagnosis.findings if f.severity.rank >= 1]


def _saved_logs() -> list[str]:
    return sorted(name for name, c in CASES.items()
                  if c.fields.get("native-log") and (LOGS / name / c.fields["native-log"]).exists())


@pytest.mark.parametrize("name", _saved_logs())
def test_framework_log_is_diagnosed_as_labelled(name, request):
    """Lightning metrics.csv, Keras CSVLogger, HF trainer_state.json, Ignite TensorBoard events,
    skorch history.json, JSONL/CSV of a custom loop: what the loss curves show is found, nothing
    forbidden is claimed, and a healthy log is not called unhealthy."""
    case = CASES[name]
    variant = case.variants[1]
    if name in KNOWN_LOG_GAPS:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_LOG_GAPS[name], strict=True))
    reports = diagnose_path(LOGS / name / case.fields["native-log"])  # a log may hold several runs
    flagged = {p for _, diagnosis, _ in reports for p in _flagged(diagnosis)}
    findings = [f.summary for _, diagnosis, _ in reports for f in diagnosis.findings]
    assert not flagged & variant.forbid, findings
    assert variant.expect <= flagged, (findings, [r.run.notes for r in reports])


def test_saved_logs_cover_every_framework():
    groups = {name.split("/")[0] for name in _saved_logs()}
    assert {"lightning_ignite", "hf_keras_skorch", "fresh_hf_keras", "fresh2_lightning_ignite"} <= groups
    assert len(_saved_logs()) >= 180


# One real training per class of error (issue 12), through `traindx run` as a user runs it.
ZERO_CODE = {
    # 1. train loss to ~0 while eval stays at its best is not overfitting
    "plain_broken/healthy_long_training_fits_train_to_zero": None,
    # 2. token frequencies are skewed by nature; 8. estimate_loss() evaluates train and val in one phase
    "transformers_lm/healthy_nanogpt_char": None,
    # 3. gradients huge from the first step
    "plain_broken/exploding_gradients_deep_init": None,
    # 4. a far too high learning rate is the root cause; 7. init is judged before the first update
    "plain_broken/learning_rate_too_high_sgd_mlp": "learning_rate_too_high",
    # 5. AdamW at 1e-5 crawls
    "transformers_lm/learning_rate_too_low_nanogpt_adamw1e5": None,
    # 6. a healthy BERT-style encoder is not vanishing
    "transformers_lm/healthy_bert_a_before_b": None,
    # 10. a sentence at chance level says so truly
    "plain_broken/non_convergence_shuffled_labels_conv1d": None,
    # a hand-written SGD update (no torch.optim) whose gradients and loss blow up in 6 steps: the
    # first update was of a healthy size, the gradients grew after it (clipping was removed)
    "transformers_lm/exploding_gradients_lstm_lm_sgd_noclip": "exploding_gradients",
}
# More cases, each also in `python benchmarks/corpus.py` (later rounds' also in their own fix
# tests); run here with TRAINDX_FULL_TESTS=1 (they keep the CI suite under ten minutes otherwise)
ZERO_CODE_MORE = {
    # frameworks under zero-code capture: Lightning (torch optimisers), Keras 3 (its own optimiser
    # and losses, read from a callback traindx adds to fit), skorch; fresh4: one ReLU module applied
    # after each layer, hidden biases at -2 (dead units, not a weight scale). (CI runs each of these
    # frameworks under `traindx run` in test_integrations.)
    "lightning_ignite/learning_rate_too_high_lightning_sgd": "learning_rate_too_high",
    "hf_keras_skorch/learning_rate_too_high_keras_sgd_lr20": "learning_rate_too_high",
    "fresh4_keras_skorch_ignite_tabular/dead_units_skorch_machine_state": "dead_units",
    # 2. again for masked tokens (fresh7): 40 token classes, an embedding of 42 rows (PAD, MASK)
    "fresh7_losses_tasks/healthy_mlm_ignore_index_bigru": None,
    # fresh5: one SGD step of 4x the weights' norm kills every ReLU of a layer; the loss then sits
    # at chance with small updates (the lr is the root, the dead units its consequence)
    "fresh5_plain_domains/learning_rate_too_high_pointset_sgd": "learning_rate_too_high",
    # fresh6: an ESPCN at SGD 1e-4 whose weights moved 2% in all, its loss 19% below chance and
    # decelerating (no crawl, no plateau at a minimum: the gradient did not collapse)
    "fresh6_tutorial_styles/learning_rate_too_low_super_resolution_sgd": None,
    # fresh4: a GPT initialised at std 1.0 (its loss before any update is 5x ln C)
    "fresh4_sequence_lm/poor_initialization_gpt_unit_std_init": "poor_initialization",
    # fresh7: a per-epoch StepLR stepped every batch: the lr is 1e-59 by a tenth of the run and the
    # loss sits at chance; the schedule is the cause (the run and its own CSV log say so)
    "fresh7_common_bugs/learning_rate_too_low_steplr_stepped_per_batch": "learning_rate_too_low",
    # fresh8 round: a min_lr typo whose schedule climbs to 0.1 while the loss gives back its fall
    # (it read as dead units and class imbalance; the MAE's masked loss is tested in test_capture)
    "fresh7_research_styles/learning_rate_too_high_min_lr_typo_schedule": "learning_rate_too_high",
    # a ViT under AdamW at 0.08 (measured steps 0.044, loss at ln 4: the lr and the steps agree),
    # and a DeepSets regressor with R^2 0.94 and half its rho ReLUs dead (a note, not a warning)
    "fresh8_architectures/learning_rate_too_high_vit_adamw": "learning_rate_too_high",
    "fresh8_architectures/healthy_deepsets_set_regression": None,
    # fresh11: SGD far too fast kills the ReLUs; the tiny steps after it are its doing (a note
    # beside it, not a too-low lr: one lr is not both)
    "fresh11_log_formats/learning_rate_too_high_timm_summary_sgd_mlp_digits": "learning_rate_too_high",
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(ZERO_CODE) + [
    pytest.param(n, marks=full_only) for n in sorted(ZERO_CODE_MORE)])
def test_zero_code_run_is_diagnosed_as_labelled(name, tmp_path):
    case = CASES[name]
    if case.path.parent.name == "lightning_ignite":
        pytest.importorskip("lightning")
    if "skorch" in name:
        pytest.importorskip("skorch")
    if "keras" in name and importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed (pip install 'traindx[frameworks]')")
    (result, *logs) = corpus.run_case(case, tmp_path, reuse=False)
    assert not result.get("error"), result
    assert not result["missed"] and not result["false_alarms"], result
    assert result["verdict"] == ("healthy" if case.variants[0].healthy else "problems")
    root = {**ZERO_CODE, **ZERO_CODE_MORE}[name]
    if root:
        assert result["first"] == root, result["flagged"]
    for variant, log in zip(case.variants[1:], logs):
        assert not log.get("error") and not log["false_alarms"], log
        assert not log["missed"] or name in KNOWN_LOG_GAPS, log
    if name.endswith("nanogpt_char"):
        doc = json.loads((tmp_path / name / "run" / "report.json").read_text())
        assert "class_imbalance" not in {f["problem"] for f in doc["findings"]}
    if name.endswith("shuffled_labels_conv1d"):
        assert "chance level" in result["summaries"]["non_convergence"]
