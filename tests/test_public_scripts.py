"""Well-known public training scripts, run unmodified under `traindx run` on this machine's CPU
(their code is not in this repository; their recordings are, in tests/fixtures/public_runs):
karpathy/makemore's transformer and GRU on names.txt (2001 steps), and pytorch/examples'
word_language_model (2-layer LSTM, emsize/nhid 64, SGD by hand at lr 20) on wikitext-2's
validation text. Each planted run changes one argument of the script's default, which is its
control. The README's "Public scripts" lists the commands."""
from __future__ import annotations

from pathlib import Path

import pytest

from traindx.api import diagnose_path

RUNS = Path(__file__).parent / "fixtures" / "public_runs"


def _diagnosis(name: str):
    [(run, diagnosis, _)] = diagnose_path(RUNS / name)
    return run, diagnosis


@pytest.mark.parametrize("name", ["makemore_transformer_default", "makemore_gru_default",
                                  "word_language_model_default"])
def test_the_scripts_defaults_are_healthy(name):
    run, diagnosis = _diagnosis(name)
    assert diagnosis.verdict == "healthy", [f.summary for f in diagnosis.findings]
    assert run.steps > 900


@pytest.mark.parametrize("name,root", [
    ("makemore_transformer_lr05", "learning_rate_too_high"),     # --learning-rate 0.5 (AdamW)
    ("makemore_transformer_lr1e-6", "learning_rate_too_low"),    # --learning-rate 1e-6
    ("word_language_model_no_clip", "learning_rate_too_high"),   # --clip 1e9: lr 20 unclipped
])
def test_one_changed_argument_is_named_as_the_root(name, root):
    _, diagnosis = _diagnosis(name)
    warned = [f for f in diagnosis.findings if f.severity.rank >= 1]
    assert warned and warned[0].problem == root, [f.summary for f in warned]


def test_a_language_model_thrown_above_a_uniform_guess_is_a_too_high_lr():
    """word_language_model without clipping: the loss starts at ln 18328 = 9.82 and sits near 18 —
    worse than guessing every word alike — after steps of 7x the weights; the loss jumped within
    the first steps, so its curve alone shows no rise from a "start" that is already high."""
    run, diagnosis = _diagnosis("word_language_model_no_clip")
    lr = next(f for f in diagnosis.findings if f.problem == "learning_rate_too_high")
    assert lr.evidence["classes"] == 18328 and abs(lr.evidence["uniform_loss"] - 9.816) < 0.01
    assert lr.evidence["end_loss"] > 1.5 * lr.evidence["uniform_loss"]
    assert "worse than a guess" in lr.summary
    assert run.series("train_loss").values[0] < 1.01 * lr.evidence["uniform_loss"]
