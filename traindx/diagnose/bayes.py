"""The Bayes-gap analysis, from numbers: which gap dominates the error, and which plan follows.

    avoidable bias = train error - Bayes error   -> high_bias      (bigger model, train longer, better optimiser)
    variance       = val error   - train error   -> high_variance  (more data, regularisation, augmentation)
    mismatch       = test error  - val error     -> data_mismatch  (training data closer to deployment)

Human-level error is the usual proxy for the Bayes error. Pure functions; no Run needed."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

PLANS = {
    "high_bias": "reduce avoidable bias: a bigger model, longer training, a better optimiser "
                 "(Adam) and a tuned learning rate",
    "high_variance": "reduce variance: more training data, regularisation (L2, dropout), data "
                     "augmentation, early stopping",
    "data_mismatch": "reduce data mismatch: make the training/validation data look like the "
                     "deployment data (collect or synthesise it), or move part of it into training",
}


@dataclass(frozen=True)
class BayesGap:
    """The three gaps of one model and the verdict."""

    bayes_error: float | None  # None: unknown (then avoidable bias is an upper bound, Bayes >= 0)
    train_error: float
    val_error: float
    test_error: float | None
    avoidable_bias: float  # train - Bayes (train - 0 when the Bayes error is unknown)
    variance: float  # val - train
    mismatch: float | None  # test - val, when a test error is given
    dominant: str | None  # the problem id of the largest significant gap, or None
    ratio: float  # dominant gap / the next-largest gap (inf when that one is <= 0)
    significant: list[str] = field(default_factory=list)  # problem ids with a gap >= min_gap
    plan: str = ""  # what to do about the dominant gap

    def gaps(self) -> dict[str, float]:
        out = {"avoidable_bias": self.avoidable_bias, "variance": self.variance}
        if self.mismatch is not None:
            out["mismatch"] = self.mismatch
        return out

    def to_dict(self) -> dict:
        return {"bayes_error": self.bayes_error, "train_error": self.train_error,
                "val_error": self.val_error, "test_error": self.test_error, **self.gaps(),
                "dominant": self.dominant, "ratio": self.ratio, "significant": self.significant,
                "plan": self.plan}


def _check(name: str, v: float | None) -> None:
    if v is not None and not (isinstance(v, (int, float)) and math.isfinite(v) and 0.0 <= v <= 1.0):
        raise ValueError(f"{name} must be an error rate in [0, 1], got {v}")


def analyse_gap(train_error: float, val_error: float, bayes_error: float | None = None,
                test_error: float | None = None, *, min_gap: float = 0.02,
                min_gap_no_bayes: float = 0.10) -> BayesGap:
    """The gaps and which one dominates. A gap counts when it is at least `min_gap` (an error-rate
    difference). Without a Bayes error the avoidable bias is only an upper bound, so high_bias is
    never claimed, and high_variance only when the variance exceeds that bound and `min_gap_no_bayes`."""
    for name, v in (("train_error", train_error), ("val_error", val_error),
                    ("bayes_error", bayes_error), ("test_error", test_error)):
        _check(name, v)
    bias = round(train_error - (bayes_error or 0.0), 12)  # rounding: 0.1 - 0.08 prints as 0.02
    variance = round(val_error - train_error, 12)
    mismatch = None if test_error is None else round(test_error - val_error, 12)
    values = {"high_bias": bias, "high_variance": variance}
    if mismatch is not None:
        values["data_mismatch"] = mismatch
    if bayes_error is None:
        significant = ["high_variance"] if variance >= min_gap_no_bayes and variance > bias else []
        if mismatch is not None and mismatch >= min_gap_no_bayes and mismatch > bias:
            significant.append("data_mismatch")
    else:
        significant = [k for k, v in values.items() if v >= min_gap]
    ranked = sorted(values, key=values.get, reverse=True)
    dominant = next((k for k in ranked if k in significant), None)
    ratio = math.nan
    if dominant is not None:
        others = [values[k] for k in values if k != dominant]
        nxt = max(others) if others else 0.0
        ratio = values[dominant] / nxt if nxt > 0 else math.inf
    return BayesGap(bayes_error, train_error, val_error, test_error, bias, variance, mismatch,
                    dominant, ratio, significant, PLANS.get(dominant, ""))


def describe(gap: BayesGap) -> str:
    """One sentence: which gap dominates, by how much, and the plan."""
    parts = [f"avoidable bias {gap.avoidable_bias:.1%}" + ("" if gap.bayes_error is not None
                                                           else " (upper bound, Bayes error unknown)"),
             f"variance {gap.variance:.1%}"]
    if gap.mismatch is not None:
        parts.append(f"data mismatch {gap.mismatch:.1%}")
    if gap.dominant is None:
        return "no gap stands out (" + ", ".join(parts) + ")" + _below(gap)
    by = "alone" if math.isinf(gap.ratio) else f"{gap.ratio:.1f}x the next gap"
    return f"{gap.dominant} dominates ({by}): " + ", ".join(parts) + f"; plan: {gap.plan}" + _below(gap)


def _below(gap: BayesGap) -> str:
    """A train error below the Bayes error cannot be: say which number to doubt."""
    if gap.bayes_error is None or gap.avoidable_bias >= 0:
        return ""
    return (f" (note: the train error {gap.train_error:.1%} is below the Bayes error "
            f"{gap.bayes_error:.1%}, which no model can beat: the Bayes/human estimate is too high, "
            f"or the train error was measured on easier data)")
