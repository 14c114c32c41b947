"""Pins the detector defaults. If you change one, change it here deliberately, and re-run the
scenario suite (benchmarks/scenarios.py) to show the change does not add false alarms."""
from traindx.diagnose.thresholds import DEFAULTS, resolve


def test_core_defaults():
    assert DEFAULTS["overfitting"]["min_rise"] == 0.10
    assert DEFAULTS["vanishing_gradients"]["orders"] == 2.0
    assert DEFAULTS["exploding_gradients"]["growth_orders"] == 2.0
    assert DEFAULTS["non_convergence"]["min_drop"] == 0.10


def test_resolve_overrides_known_keys_and_keeps_types():
    p = resolve("overfitting", {"min_rise": "0.2"})
    assert p["min_rise"] == 0.2 and isinstance(p["patience"], int)


def test_issue12_defaults():
    """Set on the corpus' calibration half (tests/corpus/, benchmarks/corpus.py); change one only
    with both halves' numbers in hand (README, "Right on runs nobody calibrated on")."""
    assert DEFAULTS["overfitting"]["min_given_back"] == 0.10
    assert DEFAULTS["overfitting"]["loss_gap"] == 0.5 and "gap_ratio" not in DEFAULTS["overfitting"]
    assert DEFAULTS["exploding_gradients"]["huge_rel"] == 1.0
    assert DEFAULTS["exploding_gradients"]["growth_loss_ratio"] == 0.9
    assert DEFAULTS["learning_rate_too_high"]["early_ratio"] == 1.0
    assert DEFAULTS["learning_rate_too_high"]["jump_factor"] == 10.0
    assert DEFAULTS["learning_rate_too_low"]["crawl_ratio"] == 3e-4
    assert DEFAULTS["learning_rate_too_low"]["crawl_still_falls"] == 0.2
    assert DEFAULTS["class_imbalance"]["majority_share"] == 0.95


def test_threshold_overrides_from_the_api_are_checked_not_dropped():
    """`resolve()` (the API's path, below the policy file's own checks) refuses an unknown key, an
    unknown detector and a count that is not whole, instead of dropping or truncating them."""
    import pytest
    from traindx.diagnose import diagnose
    from traindx.diagnose.thresholds import resolve
    from synthetic import run_with
    assert resolve("overfitting", {"patience": 3.0})["patience"] == 3
    with pytest.raises(ValueError, match="min_rice"):
        resolve("overfitting", {"min_rice": 0.2})
    with pytest.raises(ValueError, match="whole number"):
        resolve("overfitting", {"patience": 2.5})
    with pytest.raises(ValueError, match="overfiting"):
        diagnose(run_with(train_loss=[1.0, 0.5, 0.2]), thresholds={"overfiting": {}})
