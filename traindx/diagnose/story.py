"""Problems that cause each other read as one story: the root cause first, each consequence
marked `caused_by` it (a NaN caused by exploding gradients caused by a too-high learning rate)."""
from __future__ import annotations

from ..problems import all_known
from .finding import Finding, Severity
from .profile import WARMUP_RISE

# effect -> the problems that can cause it, most likely first
CAUSES: dict[str, tuple[str, ...]] = {
    "non_finite": ("exploding_gradients", "learning_rate_too_high", "unnormalized_inputs"),
    "exploding_gradients": ("learning_rate_too_high", "poor_initialization", "unnormalized_inputs"),
    # (raw inputs at 1e3 scale drive a recurrent net's gates and tanh to their bounds: no gradient
    # passes them; fresh6's LSTM on raw sales figures)
    # (a mechanism measured in the model itself first: saturated or dead units, the init)
    "vanishing_gradients": ("saturated_activations", "poor_initialization", "dead_units",
                            "learning_rate_too_high", "unnormalized_inputs"),
    # raw inputs at 1e2-1e4 scale make the first gradients and updates as large: the ReLUs die;
    # so do the updates of gradients that explode (named when no deeper cause is found)
    "dead_units": ("learning_rate_too_high", "poor_initialization", "unnormalized_inputs",
                   "exploding_gradients"),
    # ... and the huge steps of exploding gradients push pre-activations to the bounds (an RNN
    # whose first gradient was 4.8e5: saturated from the next step on); so does a loss that
    # cannot reach its targets through a second sigmoid
    "saturated_activations": ("learning_rate_too_high", "poor_initialization", "unnormalized_inputs",
                              "exploding_gradients", "non_convergence"),
    "non_convergence": ("non_finite", "exploding_gradients", "vanishing_gradients", "dead_units",
                        "learning_rate_too_high", "learning_rate_too_low", "saturated_activations",
                        "class_imbalance", "unnormalized_inputs", "poor_initialization", "high_bias"),
    # updates as large as the weights also come from gradients made huge by the initialisation
    # (measured before any update) or by raw inputs: then those are the root, not the lr; or by
    # gradients that grew after a first update of a healthy size (an RNN without clipping); or by
    # batches sorted by class (each new class a big step)
    "learning_rate_too_high": ("poor_initialization", "unnormalized_inputs", "exploding_gradients",
                               "non_convergence"),
    # a layer starved of gradient moves little whatever the lr: small steps below vanishing
    # gradients, dead or saturated units are theirs, not the lr's; so are steps small next to
    # weights initialised at a wild scale, and those of a model that steps too large had wrecked
    # (fresh11: the units a too-high lr killed pass no gradient; one lr is not both)
    "learning_rate_too_low": ("learning_rate_too_high", "vanishing_gradients", "dead_units",
                              "saturated_activations", "poor_initialization"),
    # (and, for the capacity probe's avoidable bias, which says only that this model as trained
    # misses what the data allows: any fault of the training — see _can_cause)
    "high_bias": ("non_convergence", "vanishing_gradients", "learning_rate_too_low", "dead_units",
                  "saturated_activations", "poor_initialization", "learning_rate_too_high",
                  "exploding_gradients", "unnormalized_inputs", "non_finite"),
    "high_variance": ("overfitting",),
    # a model that has learned little (steps too small) recalls the frequent classes first, and
    # one thrown around by steps too large falls back on the most frequent: the skew's harm is then
    # the lr's (fresh9: Adam with eps=1 missed the rarest classes of 79:1; fresh2/fresh10: taggers
    # at a too-high lr predicting the majority tag of a 57% skew)
    "class_imbalance": ("learning_rate_too_low", "learning_rate_too_high"),
    # a model that misses the rare class scores worse on a test split that holds more of it (the
    # cat-vs-non-cat course set: 5% cats in train and dev, a balanced test set): the skew first
    "data_mismatch": ("class_imbalance",),
}
# faults of the training rather than of the model's capacity
TRAINING_FAULTS = ("learning_rate_too_high", "learning_rate_too_low", "exploding_gradients",
                   "vanishing_gradients", "dead_units", "saturated_activations", "poor_initialization",
                   "unnormalized_inputs", "non_finite", "non_convergence")
# a consequence whose own advice would be the wrong first move: a note, not a warning, until its
# cause is fixed (reweighting the classes of a model the lr keeps from learning changes nothing;
# raising the lr of layers no gradient reaches moves nothing): the causes, and why
NOTE_WHEN_CAUSED = {
    "class_imbalance": (("learning_rate_too_low", "learning_rate_too_high"),
                        "a model that is not learning falls back on the frequent classes; judge "
                        "the skew again once that is fixed"),
    "learning_rate_too_low": (CAUSES["learning_rate_too_low"],
                              "the steps are small because of it, not of the lr; judge the lr "
                              "again once that is fixed"),
    # a depth profile taken while steps as large as the weights throw them around, or raw inputs
    # blow up the first layers' gradients, is the training's state, not the architecture's:
    # residuals or norm layers are not the first move (fresh3, fresh19: post-LN transformers at a
    # too-high lr; fresh4, fresh7, fresh19: raw pixels and raw wine features)
    "vanishing_gradients": (("learning_rate_too_high", "unnormalized_inputs"),
                            "the gradient's depth profile is measured on a training thrown off by it; "
                            "judge it again once that is fixed"),
    # (the capacity probe's avoidable bias only: a constraint measured in the model stays a warning)
    "high_bias": (TRAINING_FAULTS, "a bigger model trained the same way would miss the same way; "
                                   "judge the model's size again once that is fixed"),
}
all_known({p for effect, causes in CAUSES.items() for p in (effect, *causes)}, "story.CAUSES")


# inputs this many times unit scale make logits of that size through default-initialised weights:
# a sigmoid or softmax pinned at the loss's clip, where every gradient is exactly zero (fresh6 and
# fresh_hf_keras: raw credit features at std 2e4 under Keras; a footfall count at std 14 is not)
PINNING_INPUT_STD = 1e3


# a cause that explains an effect only when the evidence says so
def _can_cause(cause: Finding, effect: Finding) -> bool:
    # a model held back by a measured constraint (linear, frozen, decayed, dropped out) is why
    # its loss stays up; a high_bias read from the Bayes gap is the other way round: a training
    # that did not converge leaves it
    constrained = lambda f: f.evidence.get("constraint", "unnamed") != "unnamed"  # noqa: E731
    # a loss that squashes an input already squashed drives that squash to its bounds
    squashed = lambda f: f.evidence.get("criterion") == "squashed_input"  # noqa: E731
    unshuffled = lambda f: f.evidence.get("criterion") == "unshuffled"  # noqa: E731
    probed = lambda f: f.evidence.get("constraint") == "probe"  # noqa: E731
    # a mistake read from the data or the code itself — batches sorted by class, a loss given an
    # input the model already squashed — is a root: nothing the training did put it there (fresh18:
    # sorted batches swing the steps and kill ReLUs; the dead units did not sort the data)
    if effect.problem == "non_convergence" and (unshuffled(effect) or squashed(effect)):
        return False
    # no gradient reaches any weight: the graph is cut between them and the loss, or inputs at a
    # huge scale pinned the outputs where the loss clips them (Keras' BCE at 1e-7); nothing else
    if effect.problem == "non_convergence" and effect.evidence.get("criterion") == "no_gradient":
        return cause.problem == "unnormalized_inputs" and \
            (cause.evidence.get("input_std") or 0.0) >= PINNING_INPUT_STD
    if cause.problem == "non_convergence" and effect.problem == "saturated_activations":
        return squashed(cause)
    # batches of one class swing the loss and the steps as the class changes: not the lr's doing
    if cause.problem == "non_convergence" and effect.problem == "learning_rate_too_high":
        return unshuffled(cause)
    if effect.problem == "high_bias" and cause.problem in ("learning_rate_too_high", "exploding_gradients",
                                                            "unnormalized_inputs", "non_finite"):
        return probed(effect)  # (a constraint measured in the model is no step size's doing)
    if cause.problem == "high_bias" and effect.problem == "non_convergence":
        return constrained(cause)
    if cause.problem == "non_convergence" and effect.problem == "high_bias":
        # (a mistake in the data or the graph keeps any model from fitting: the probe's gap is its)
        return not constrained(effect) or probed(effect) and (squashed(cause) or unshuffled(cause))
    if {cause.problem, effect.problem} == {"exploding_gradients", "learning_rate_too_high"}:
        exploding, lr = (cause, effect) if cause.problem == "exploding_gradients" else (effect, cause)
        grown = _grown_gradients(exploding, lr)
        return grown if cause is exploding else not grown
    # a schedule that peaked too high and then collapsed is wrong at both ends
    if cause.problem == "learning_rate_too_high" and effect.problem == "learning_rate_too_low":
        return "schedule_collapse" not in effect.evidence.get("criteria", ())
    effect = effect.problem
    if cause.problem == "class_imbalance" and effect == "non_convergence":
        return bool(cause.evidence.get("predicts_majority"))
    if cause.problem == "class_imbalance" and effect == "data_mismatch":
        recall = cause.evidence.get("worst_recall")
        return recall is not None and recall < 0.5
    if cause.problem == "dead_units" and effect in ("non_convergence", "high_bias"):
        # a layer whose live units still carry the signal cannot explain a model that learns
        # nothing: only one that passes almost nothing (error_frac of its units dead) can
        frac = cause.evidence.get("worst_dead_fraction")
        return frac is None or frac >= cause.params.get("error_frac", 0.9)
    return True


def _grown_gradients(exploding: Finding, lr: Finding) -> bool:
    """The steps grew too large because the gradients grew, not because of the lr: the first
    update, made with the gradients as initialised, was of a healthy size (below the lr
    detector's `high_ratio`), the lr did not warm up meanwhile, and the gradient norm then grew an
    order of magnitude or more."""
    first = lr.evidence.get("update_ratio_first")
    grew = exploding.evidence.get("growth_from_initial_orders")
    warmed = lr.evidence.get("lr_peak_over_first", 1.0) >= WARMUP_RISE
    return first is not None and grew is not None and first < lr.params.get("high_ratio", 0.05) \
        and grew >= exploding.params.get("joint_orders", 1.0) and not warmed


def order(findings: list[Finding]) -> list[Finding]:
    """Root causes first; each consequence marked `caused_by`; a root cause is never less severe
    than what it causes (a too-high lr that wrecks the weights is an error, not a warning)."""
    by_problem = {f.problem: f for f in findings if f.severity.rank >= 1}
    present = set(by_problem)

    def causes(effect: Finding) -> list[str]:
        return [c for c in CAUSES.get(effect.problem, ()) if c in present and c != effect.problem
                and _can_cause(by_problem[c], effect)]

    depth: dict[str, int] = {}
    for f in findings:
        direct = next(iter(causes(f)), None)
        chain, cur = 0, f
        while True:
            nxt = next(iter(causes(cur)), None)
            if nxt is None or chain > 10:
                break
            chain, cur = chain + 1, by_problem[nxt]
        depth[f.problem] = chain
        if direct and f.severity.rank >= 1:
            f.caused_by = direct
            noted, why = NOTE_WHEN_CAUSED.get(f.problem, ((), ""))
            # the direct cause, or the root it comes from (dead units a too-high lr killed)
            by = direct if direct in noted else cur.problem if cur.problem in noted else None
            if by and (f.problem != "high_bias" or f.evidence.get("constraint") == "probe"):
                f.severity = Severity.INFO
                f.summary += f" (a note while {by.replace('_', ' ')}: {why})"
        if cur is not f and cur.severity.rank < f.severity.rank:
            cur.severity = f.severity
    # warnings and errors before infos; within them root causes first, then the most severe
    return sorted(findings, key=lambda f: (f.severity.rank == 0, depth[f.problem], -f.severity.rank))
