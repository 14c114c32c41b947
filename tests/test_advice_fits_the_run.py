"""The remedy plan fits the run it advises (issue: advice that knows what the script does): four
setups, each broken in a known way, recorded for real; the plan proposes nothing the script
already does, speaks to its architecture, takes its numbers from the run, and the suggested
learning rate, applied, makes the problem go away."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import broken_setups as setups
import traindx
from traindx.api import diagnose_path

SCRIPTS = Path(__file__).parent / "scripts" / "frameworks"


def _record(tmp_path, name, **kwargs):
    with traindx.watch(out=tmp_path / name) as w:
        getattr(setups, name)(**kwargs)
    [report] = diagnose_path(w.path)
    return report


def _text(plan) -> str:
    return "\n".join(f"{it.action}\n{it.snippet}" for it in plan)


def _suggested(plan) -> float:
    first = next(it for it in plan if "learning rate from" in it.action)
    return float(re.search(r"~([0-9.e+-]+)", first.action).group(1))


def test_adamw_warmup_clipped_transformer_is_told_to_lower_its_peak_lr(tmp_path):
    run, diagnosis, plan = _record(tmp_path, "transformer_lm", peak_lr=3.0)
    profile = diagnosis.profile
    assert (profile.optimizer_name, profile.schedule, profile.clipping, profile.architecture,
            profile.task) == ("AdamW", "warmup_decay", True, "transformer", "language_modelling")
    assert profile.clip_at == pytest.approx(1.0, rel=0.01) and profile.peak_lr == pytest.approx(3.0)
    assert diagnosis.findings[0].problem == "learning_rate_too_high"
    text = _text(plan)
    # nothing the script already does, nothing wrong for a transformer language model
    for already in ("Switch to Adam", "Add warm-up", "Clip the gradient norm", "clip_grad_norm_", "AdamW(",
                    "batch norm", "BatchNorm", "Weight the loss", "z-score", "kaiming"):
        assert already not in text, already
    # its own numbers: from its peak lr, to one derived from its first update
    assert "from 3 to ~" in plan[0].action
    new_lr = _suggested(plan)
    assert 1e-4 < new_lr < 0.3
    # and the suggestion, applied, trains
    run2, diagnosis2, _ = _record(tmp_path, "transformer_lm", peak_lr=new_lr)
    assert diagnosis2.verdict == "healthy", [f.summary for f in diagnosis2.findings]


def test_sgd_momentum_cnn_keeps_its_optimiser_and_gets_a_cnn_snippet(tmp_path):
    run, diagnosis, plan = _record(tmp_path, "sgd_cnn", lr=5.0)
    profile = diagnosis.profile
    assert (profile.optimizer, profile.momentum, profile.architecture, profile.clipping) == \
        ("sgd_momentum", 0.9, "cnn", False)
    text = _text(plan)
    assert "Switch to Adam" not in text and "Use momentum" not in text
    assert plan[0].action.startswith("Lower the learning rate from 5 to ~")
    # a remedy the run does not have yet keeps its snippet, sized from the run's gradient norm
    clip = next(it for it in plan if "clip_grad_norm_" in it.snippet)
    assert f"max_norm={float(f'{2 * profile.grad_norm_start:.1g}'):g}" in clip.snippet
    new_lr = _suggested(plan)
    run2, diagnosis2, _ = _record(tmp_path, "sgd_cnn", lr=new_lr)
    assert diagnosis2.verdict == "healthy", [f.summary for f in diagnosis2.findings]


def test_language_model_is_never_told_to_weight_classes(tmp_path):
    run, diagnosis, plan = _record(tmp_path, "lstm_lm", lr=1e-6)
    assert diagnosis.profile.task == "language_modelling" and diagnosis.profile.optimizer == "adam"
    assert "class_imbalance" not in {f.problem for f in diagnosis.findings}
    text = _text(plan)
    assert "Weight the loss" not in text and "Use Adam" not in text and "over-sample" not in text
    assert plan[0].action.startswith("Raise the learning rate from 1e-06 to ~")
    new_lr = _suggested(plan)
    assert new_lr > 1e-5
    run2, diagnosis2, _ = _record(tmp_path, "lstm_lm", lr=new_lr)
    assert diagnosis2.verdict == "healthy", [f.summary for f in diagnosis2.findings]


def test_keras_mlp_gets_keras_code(tmp_path):
    if importlib.util.find_spec("keras") is None:
        pytest.skip("keras is not installed (pip install 'traindx[frameworks]')")
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    done = subprocess.run([sys.executable, "-m", "traindx", "run", "--out", str(tmp_path / "k"),
                           str(SCRIPTS / "keras_fit.py"), "--lr", "20", "--logs", str(tmp_path / "logs")],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    run, diagnosis, plan = diagnose_path(tmp_path / "k")[0]
    profile = diagnosis.profile
    assert (profile.framework, profile.architecture, profile.optimizer_name, profile.lr) == \
        ("keras", "mlp", "SGD", pytest.approx(20.0))
    assert profile.params == 20 * 64 + 64 + 64 * 64 + 64 + 64 * 4 + 4
    assert plan[0].rule.problem == "learning_rate_too_high"
    assert "model.optimizer.learning_rate = " in plan[0].snippet
    assert "torch.optim" not in _text(plan) and "param_groups" not in _text(plan)
