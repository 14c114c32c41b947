"""unnormalized_inputs: the model's input features are far from zero mean / unit scale, or on very
different scales (measured on the first module's input, column "input" of the activations)."""
from __future__ import annotations

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import fmt, input_stat, module_types

# a model that normalises its own input (Keras' adapted Normalization and Rescaling layers too)
NORMALISING_FIRST = ("BatchNorm", "LayerNorm", "GroupNorm", "InstanceNorm", "Normalization", "Rescaling")
WRAPPERS = ("InputLayer", "Sequential", "Functional", "ModuleList", "ModuleDict")


def _first_layer(run: Run) -> str:
    """The kind of the first layer the input meets: the first module with activation statistics,
    else the first in the model's description (Keras layers have no torch forward hooks)."""
    layers = [n for n in run.activations.layers if n != "input"]
    types = module_types(run)
    if layers:
        return run.activations.kinds.get(layers[0], types.get(layers[0], ""))
    described = [m.get("type", "") for m in run.meta.get("model", []) if isinstance(m, dict)]
    return next((t for t in described if t and t not in WRAPPERS), "")


def _judge(run: Run, source: str, p: dict) -> tuple[dict, list[str]]:
    """The statistics of one measured input (the model's, or what its first weight layer received)
    and what is wrong with its scale; ({}, []) when it was not measured."""
    std, spread = input_stat(run, "std", source), input_stat(run, "feature_scale_spread", source)
    offset, mean = input_stat(run, "max_feature_mean", source), input_stat(run, "mean", source)
    zeros, whole = input_stat(run, "zero_frac", source), input_stat(run, "integer_frac", source)
    largest = input_stat(run, "max_abs", source)  # (runs recorded before it was measured have none)
    if std is None:
        return {}, []
    # inputs that all lie within +-bounded_abs are min-max scaled ([0, 1] pixels, [-1, 1]): no
    # feature is large enough to dominate; one whose spread is far smaller is near-constant (a
    # border pixel), which standardising would only amplify
    bounded = largest is not None and largest <= p["bounded_abs"]
    # sparse inputs (bag-of-words counts, their log or tf-idf, one-/multi-hot codes): centring them
    # would destroy the sparsity (scikit-learn scales sparse data without centring), and their
    # per-feature means are what the codes mean, not an offset to remove: only their overall scale
    # can be wrong
    sparse = zeros is not None and zeros >= p["sparse_zeros"]
    evidence = {"input_std": std, "input_mean": mean, "max_feature_mean": offset,
                "feature_scale_spread": spread, "zero_frac": zeros, "integer_frac": whole,
                "sparse_inputs": sparse, "max_abs": largest, "bounded_inputs": bounded}
    problems = []
    if std > p["max_std"] or std < p["min_std"]:
        problems.append(f"the input std is {fmt(std)} (unit scale expected)")
    if offset is not None and offset >= 1.0 and std > 0 and offset >= p["offset_ratio"] * std \
            and not (sparse or bounded):
        problems.append(f"a feature's mean is {fmt(offset)}, {offset / std:.0f}x the input std")
    if spread is not None and spread >= p["spread"] and not (sparse or bounded):
        problems.append(f"feature scales differ {fmt(spread)}x (per-feature std max/min)")
    return evidence, problems


@detector("unnormalized_inputs", needs=("activations",))
def unnormalized_inputs(run: Run, p: dict) -> list[Finding]:
    """What it detects: the model's input has overall std above `max_std` or below `min_std`; or a
    feature's |mean| is `offset_ratio` times the overall std (and at least 1); or per-feature stds
    differ by a factor `spread` (constant features left out). Sparse inputs (at least
    `sparse_zeros` zeros: bag-of-words, tf-idf, one-hot codes) are judged by their overall scale
    only, and so are inputs whose every value lies within +-`bounded_abs` (min-max scaled).
    Medians over the sampled steps.
    Skipped when the model's first layer is itself a normalisation layer, or when its first weight
    layer (Linear, Conv) receives a tensor of the input's shape that passes these tests (the model
    normalises its input in its own forward).
    Why it matters: badly scaled inputs make the loss surface ill-conditioned: one learning rate
    is too big for some weights and too small for others; large inputs saturate the first layer."""
    if input_stat(run, "std") is None:
        return []
    first = _first_layer(run)
    if any(first.startswith(t) for t in NORMALISING_FIRST):
        return []
    evidence, problems = _judge(run, "input", p)
    if not problems:
        return []
    # what the first weight layer receives, where it has the input's shape: a model that
    # normalises its input in its own forward (`(x - self.mean) / self.std`, a running norm)
    # hands that layer well-scaled features, and those are what its weights multiply
    inside, inside_problems = _judge(run, "first_layer_input", p)
    if inside and not inside_problems:
        return []
    steps = run.activations.steps
    return [Finding("unnormalized_inputs", Severity.WARNING,
                    summary="inputs are not normalised: " + "; ".join(problems),
                    evidence=evidence, params=p, layers=["input"],
                    steps=[int(steps[0]), int(steps[-1])])]
