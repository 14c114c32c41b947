"""Problems that cause each other read as one story: the root cause first, each consequence
marked `caused_by` it (a NaN caused by exploding gradients caused by a too-high learning rate)."""
from __future__ import annotations

from .finding import Finding

# effect -> the problems that can cause it, most likely first
CAUSES: dict[str, tuple[str, ...]] = {
    "non_finite": ("exploding_gradients", "learning_rate_too_high", "unnormalized_inputs"),
    "exploding_gradients": ("learning_rate_too_high", "poor_initialization", "unnormalized_inputs"),
    "vanishing_gradients": ("saturated_activations", "poor_initialization", "dead_units"),
    "dead_units": ("learning_rate_too_high", "poor_initialization"),
    "saturated_activations": ("learning_rate_too_high", "poor_initialization", "unnormalized_inputs"),
    "non_convergence": ("non_finite", "exploding_gradients", "vanishing_gradients", "dead_units",
                        "learning_rate_too_high", "learning_rate_too_low", "saturated_activations",
                        "class_imbalance", "unnormalized_inputs", "poor_initialization"),
    "learning_rate_too_high": (),
    "high_bias": ("non_convergence", "vanishing_gradients", "learning_rate_too_low", "dead_units",
                  "saturated_activations", "poor_initialization"),
    "high_variance": ("overfitting",),
}


def order(findings: list[Finding]) -> list[Finding]:
    present = {f.problem for f in findings if f.severity.rank >= 1}
    depth: dict[str, int] = {}
    for f in findings:
        direct = next((c for c in CAUSES.get(f.problem, ()) if c in present), None)
        if direct and f.severity.rank >= 1:
            f.caused_by = direct
        chain, cur = 0, f.problem
        while True:
            nxt = next((c for c in CAUSES.get(cur, ()) if c in present and c != cur), None)
            if nxt is None or chain > 10:
                break
            chain, cur = chain + 1, nxt
        depth[f.problem] = chain
    # warnings and errors before infos; within them root causes first, then the most severe
    return sorted(findings, key=lambda f: (f.severity.rank == 0, depth[f.problem], -f.severity.rank))
