"""Fixes of the fresh19 round, each on the corpus case that showed the error (a real small training
under `traindx run`, judged by its author's label from a control run)."""
from __future__ import annotations

import numpy as np

from conftest import ROOT, full_only, json_tail, traindx

from traindx.diagnose.capacity import probe_error

CASES = ROOT / "tests" / "corpus"


def _run(tmp_path, case: str) -> dict:
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(CASES / f"{case}.py"),
                   cwd=tmp_path, env={"CORPUS_LOG_DIR": str(tmp_path / "logs")}, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json_tail(proc.stdout)


def test_one_param_group_at_100x_the_lr_is_the_root_of_its_dead_units(tmp_path):
    """The head's param group at 100x the body's lr (SGD): the median step over layers looks healthy
    (0.8% of the weights), the head's is 2%, and the accuracy the model had (88%) is undone (58%)
    while the loss jumps. The lr is named first, the dead ReLUs and the stalled loss after it."""
    doc = _run(tmp_path, "fresh19_torch_machinery/learning_rate_too_high_head_group_100x")
    first = doc["findings"][0]
    assert first["problem"] == "learning_rate_too_high" and first["severity"] == "error"
    assert first["evidence"]["accuracy_lost"] >= 0.25 and "undid what the model had learned" in first["summary"]


def test_a_depth_profile_under_a_too_high_lr_is_a_note(tmp_path):
    """A post-LN transformer at Adam 3e-2 with no warm-up: its gradients' depth profile, measured
    while the steps throw the weights around, looked "vanishing" (its author: not the problem). The
    lr is the root; the profile is a note under it, to judge again once the lr is fixed."""
    doc = _run(tmp_path, "fresh19_attention_from_scratch/learning_rate_too_high_postln_no_warmup")
    found = {f["problem"]: f for f in doc["findings"]}
    assert doc["findings"][0]["problem"] == "learning_rate_too_high"
    vanishing = found["vanishing_gradients"]
    assert vanishing["severity"] == "info" and "a note while learning rate too high" in vanishing["summary"]


def test_rows_seen_again_are_not_held_out_from_the_probe():
    """LBFGS's one full batch (or a small set over several epochs) comes back at every sampled step:
    the probe keeps each row once, or rows it fit would score as held out (fresh19: a regression at
    its noise floor read as 5.6 points of avoidable bias). Labels that are pure noise, each of 300
    rows kept four times: the probe must not do better than a coin."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=(300, 1))
    sample = {"x": np.tile(x, (4, 1)), "y": np.tile(y, (4, 1)), "kind": "classification", "classes": 2}
    probe = probe_error(sample)
    assert probe["rows"] == 300 and probe["error"] > 0.35


@full_only
def test_a_noise_floor_fit_by_lbfgs_is_healthy(tmp_path):
    doc = _run(tmp_path, "fresh19_torch_machinery/healthy_lbfgs_closure_noise_floor")
    assert doc["verdict"] == "healthy", [f["summary"] for f in doc["findings"]]


@full_only
def test_a_softmax_before_cross_entropy_is_no_matter_of_model_size(tmp_path):
    """The probe sees a model far from what its data allows, but the graph squashes the logits
    twice: any model would miss. The squashed input is the root; the probe's gap a note under it."""
    doc = _run(tmp_path, "fresh19_homework_submissions/non_convergence_softmax_before_crossentropy")
    found = {f["problem"]: f for f in doc["findings"]}
    assert doc["findings"][0]["problem"] == "non_convergence"
    assert found["high_bias"]["evidence"]["constraint"] == "probe"
    assert found["high_bias"]["severity"] == "info" and found["high_bias"]["caused_by"] == "non_convergence"
