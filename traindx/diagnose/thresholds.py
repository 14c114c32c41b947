"""Every detector threshold and its default, in one place. Change a value here deliberately:
tests/test_thresholds.py pins them, and the scenario suite (benchmarks/scenarios.py) measures them.

All thresholds are relative (ratios, fractions, orders of magnitude) so that they hold whatever the
loss's scale, the model's size or the learning rate's units."""

DEFAULTS: dict[str, dict[str, float]] = {
    "non_finite": {},
    "overfitting": {
        "min_evals": 3,          # evaluation points needed
        "min_rise": 0.10,        # eval loss rose this fraction above its best ...
        "patience": 2,           # ... and has not beaten it for this many evaluations
        "train_still_falls": 0.02,  # while train loss fell at least this fraction over the same span
        "gap_ratio": 2.0,        # or: eval loss this many times the train loss, eval stalled
        "acc_gap": 0.15,         # or: train accuracy this much above eval accuracy, eval stalled
    },
    "vanishing_gradients": {
        "orders": 2.0,           # relative gradient (|g|/|w|) falls this many orders of magnitude to the input
        "error_orders": 3.0,
        "min_layers": 3,
        "zero_grad": 1e-12,      # relative gradient below this counts as no gradient at all
    },
    "exploding_gradients": {
        "growth_orders": 2.0,    # total gradient norm grows this many orders above its early median
        "depth_orders": 3.0,     # or relative gradient grows this many orders toward the input
        "min_layers": 3,
    },
    "non_convergence": {
        "min_steps": 30,
        "min_drop": 0.10,        # train loss must fall at least this fraction from start to end
        "chance_margin": 0.9,    # final loss above this fraction of chance-level loss ln(C) ...
        "acc_margin": 0.03,      # ... or accuracy within this of the majority-class rate
    },
}


def resolve(detector: str, overrides: dict | None = None) -> dict[str, float]:
    params = dict(DEFAULTS.get(detector, {}))
    for key, value in (overrides or {}).items():
        if key in params:
            params[key] = type(params[key])(value)
    return params
