"""Pins the detector defaults. If you change one, change it here deliberately, and re-run the
scenario suite (benchmarks/scenarios.py) to show the change does not add false alarms."""
from traindx.diagnose.thresholds import DEFAULTS, resolve


def test_core_defaults():
    assert DEFAULTS["overfitting"]["min_rise"] == 0.10
    assert DEFAULTS["vanishing_gradients"]["orders"] == 2.0
    assert DEFAULTS["exploding_gradients"]["growth_orders"] == 2.0
    assert DEFAULTS["non_convergence"]["min_drop"] == 0.10


def test_resolve_overrides_only_known_keys_and_keeps_types():
    p = resolve("overfitting", {"min_rise": "0.2", "bogus": 1})
    assert p["min_rise"] == 0.2 and "bogus" not in p and isinstance(p["patience"], int)
