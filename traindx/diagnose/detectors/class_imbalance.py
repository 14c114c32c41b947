"""class_imbalance: a skewed label distribution (captured from the loss's targets), and whether
the model has given up on the rare classes."""
from __future__ import annotations

import re

import numpy as np

from ...runs.model import Run
from ..finding import Finding, Severity
from ..registry import detector
from ..signals import fmt, is_language_model, sorted_by_class, weighted_loss
from ..thresholds import resolve


def _counts(run: Run, key: str) -> np.ndarray | None:
    v = run.labels.get(key)
    return np.asarray(v, dtype=np.float64) if v else None


def _final_acc(run: Run, prefer_eval: bool) -> tuple[str, float] | None:
    for key in (("eval_acc", "train_acc") if prefer_eval else ("train_acc",)):
        s = run.series(key)
        if s is not None and len(s.finite()):
            v = s.finite().values
            return key, float(np.median(v[-max(1, len(v) // 10):]))
    return None


def _rank_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation (ties take their mean rank); NaN for fewer than two values."""
    if len(a) < 2:
        return float("nan")
    ranks = []
    for x in (a, b):
        order = np.argsort(x, kind="stable")
        r = np.empty(len(x))
        r[order] = np.arange(len(x), dtype=float)
        for v in np.unique(x):  # ties share their mean rank
            r[x == v] = r[x == v].mean()
        ranks.append(r)
    if ranks[0].std() == 0 or ranks[1].std() == 0:
        return float("nan")
    return float(np.corrcoef(ranks[0], ranks[1])[0, 1])


def _learned_then_lost(run: Run, prefer_eval: bool, majority: float,
                       share: float) -> tuple[float, int] | None:
    """(best accuracy, its step) when the accuracy once stood `share` of the way from the
    majority-class rate to 1 (the model recalled the rare classes then); else None. A train
    accuracy is a mini-batch's: its best is taken over medians of a tenth of its points (at 98%
    majority one batch of the majority class alone reads 100%). Judged on the data the recall was
    measured on: a held-out recall against the held-out accuracy only (fresh10's fraud-like skorch
    run: a skewed training set and a balanced check set are not one history)."""
    for key in ("eval_acc",) if prefer_eval else ("train_acc",):
        s = run.series(key)
        if s is not None and len(s.finite()) >= 3:
            v = s.finite()
            w = max(1, len(v) // 10) if key == "train_acc" else 1
            level = np.array([np.median(v.values[i:i + w]) for i in range(len(v) - w + 1)])
            best = int(np.argmax(level))
            if level[best] >= majority + share * (1.0 - majority) and best + w < len(v):
                return float(level[best]), int(v.steps[best + w - 1])
            return None
    return None


def _end(run: Run, key: str) -> float | None:
    """A logged series' value at its end: the median of its last three finite points."""
    s = run.series(key)
    v = s.finite().values if s is not None else ()
    return float(np.median(v[-3:])) if len(v) else None


def _logged_recall(run: Run, p: dict) -> list[Finding]:
    """A log with no label counts but the per-class recall (`recall_1`) or balanced accuracy it
    wrote: accuracy above the balanced accuracy (the mean per-class recall) by `acc_over_balanced`
    says the frequent classes carry it (their difference is C x the covariance of class frequency
    and recall: positive only when the frequent classes are recalled better)."""
    recalls: dict[int, float] = {}
    for split in ("train", "eval"):  # (eval's overwrite: held-out first)
        for key in run.scalars:
            m = re.fullmatch(rf"{split}_recall_(\d+)", key)
            if m and (v := _end(run, key)) is not None:
                recalls[int(m.group(1))] = v
    balanced = next((v for k in ("eval_bacc", "train_bacc") if (v := _end(run, k)) is not None), None)
    if balanced is None and len(recalls) >= 2:
        balanced = float(np.mean(list(recalls.values())))
    acc_key = next((k for k in ("eval_acc", "train_acc") if _end(run, k) is not None), None)
    bare = _bare_recall(run) if balanced is None and not recalls else None
    if bare is not None:
        acc_key, recall = bare
        balanced = (1.0 + recall) / 2.0
    if balanced is None or acc_key is None:
        return []
    acc = _end(run, acc_key)
    if acc - balanced < p["acc_over_balanced"]:
        return []
    evidence = {"criterion": "logged_recall", "accuracy": acc, "accuracy_from": acc_key,
                "balanced_accuracy": balanced, "per_class_recall": {str(k): v for k, v in recalls.items()}}
    worst = min(recalls, key=recalls.get) if recalls else None
    missed = (f"; class {worst} is recalled only {recalls[worst]:.0%} of the time"
              if worst is not None and recalls[worst] < p["min_recall"] else "")
    if bare is not None:
        evidence.update(recall=bare[1], balanced_accuracy_is_bound=True)
        return [Finding("class_imbalance", Severity.WARNING,
                        summary=f"{acc_key.replace('_', ' ')} {acc:.1%} with a recall of {bare[1]:.1%}: "
                                f"the balanced accuracy is at most {balanced:.1%} ((1 + recall) / 2, "
                                f"whether the recall is the positive class's or the mean over classes), "
                                f"{(acc - balanced) * 100:.1f} points below: the frequent class carries "
                                f"the accuracy",
                        evidence=evidence, params=p)]
    return [Finding("class_imbalance", Severity.WARNING,
                    summary=f"{acc_key.replace('_', ' ')} {acc:.1%} stands {(acc - balanced) * 100:.1f} "
                            f"points above the balanced accuracy {balanced:.1%} (the mean per-class "
                            f"recall the log wrote): the frequent classes carry the accuracy{missed}",
                    evidence=evidence, params=p)]


def _bare_recall(run: Run) -> tuple[str, float] | None:
    """(accuracy key, recall) of one split that logged both an accuracy and a bare `recall` (the
    held-out split first). Read either way, the positive class's recall r of a binary task or the
    mean recall over classes, it bounds the balanced accuracy by (1 + r) / 2: the other class is
    recalled at most always."""
    for split in ("eval", "train"):
        recall, acc = _end(run, f"{split}_recall"), _end(run, f"{split}_acc")
        if recall is not None and acc is not None:
            return f"{split}_acc", recall
    return None


@detector("class_imbalance", needs=("labels|class_recall",))
def class_imbalance(run: Run, p: dict) -> list[Finding]:
    """What it detects: the most frequent class is at least `skew_ratio` times the least frequent
    (classes present in the targets). A warning when the model pays for it: accuracy within
    `acc_margin` of the majority-class rate (unless the loss weighs the classes and every class is
    recalled at least `min_recall`: the trade the weighting makes), or a class recalled less than
    `min_recall` while recall follows class frequency (rank correlation `recall_follows_frequency`
    or more: the rare classes are the ones missed); an info otherwise, and an info when the
    accuracy had once stood `learned_share` of the way from the majority rate to 1 (the rare
    classes were learned, then lost: not the skew's doing). Why it matters: the rare classes
    barely contribute to the loss; a model that always predicts the majority looks accurate.
    From a log without label counts: its accuracy `acc_over_balanced` or more above the balanced
    accuracy (the mean per-class recall) it wrote, or above (1 + r) / 2 for a bare recall r (a
    binary task's positive class, or the mean over classes: either way the balanced accuracy is
    at most that)."""
    counts = _counts(run, "train_counts")
    if counts is not None and sorted_by_class(run, resolve("non_convergence")):
        counts = _counts(run, "eval_counts")  # sampled batches of sorted data: not the data's balance
    elif counts is None:
        counts = _counts(run, "counts")
    if counts is None:
        return _logged_recall(run, p)  # a log's per-class recall columns, without label counts
    if counts is None or counts.sum() < p["min_samples"] or is_language_model(run):
        return []  # next-token targets: skew is the nature of language, not a data problem
    present = counts[counts > 0]
    if len(present) < 2:
        return []
    prior = counts / counts.sum()
    majority_class, minority_class = int(np.argmax(counts)), int(np.argmin(np.where(counts > 0, counts, np.inf)))
    skew = float(present.max() / present.min())
    evidence = {"class_counts": counts.astype(int).tolist(), "majority_class": majority_class,
                "majority_rate": float(prior.max()), "minority_class": minority_class,
                "minority_rate": float(prior[minority_class]), "skew": skew}
    if skew < p["skew_ratio"]:
        return []
    mode = "eval" if _counts(run, "eval_counts") is not None and _counts(run, "eval_correct") is not None \
        else "train"
    truth, correct = _counts(run, f"{mode}_counts"), _counts(run, f"{mode}_correct")
    harm = []
    if truth is not None and correct is not None and len(truth) == len(correct):
        with np.errstate(all="ignore"):
            recall = np.where(truth > 0, correct / truth, np.nan)
        evidence["per_class_recall"] = {str(i): float(r) for i, r in enumerate(recall) if np.isfinite(r)}
        evidence["recall_from"] = mode
        worst = int(np.nanargmin(recall))
        evidence["worst_recall_class"], evidence["worst_recall"] = worst, float(recall[worst])
        # the skew's harm: the rare classes are the ones missed (recall follows frequency); a model
        # that learned nothing misses the frequent classes as well
        seen = np.isfinite(recall) & (counts > 0)
        follows = _rank_correlation(counts[seen], recall[seen])
        evidence["recall_frequency_correlation"] = follows
        if recall[worst] < p["min_recall"] and follows >= p["recall_follows_frequency"]:
            harm.append(f"class {worst} is recalled only {recall[worst]:.0%} of the time ({mode}), "
                        f"the rare classes least (rank correlation of recall with frequency {follows:.2f})")
    # every class recalled under a loss that weighs them: an accuracy below the majority rate is
    # the trade the weighting makes for the rare classes, not a model that gave up on them (a
    # balanced sampler needs no excuse: the label counts are taken from the batches it draws)
    evidence["weighted_loss"] = weighted_loss(run)
    recalls_all = "worst_recall" in evidence and evidence["worst_recall"] >= p["min_recall"] and \
        evidence["weighted_loss"]
    acc = _final_acc(run, prefer_eval=mode == "eval")
    preds = _counts(run, f"{mode}_pred_counts")
    majority_share = float(preds[majority_class] / preds.sum()) if preds is not None and preds.sum() else None
    # the model gives up on the rare classes: accuracy no better than the majority rate, or
    # (almost) every prediction is the majority class. Only then can it explain non-convergence.
    # always predicting the majority class scores its share of the data the accuracy is taken on
    # (a balanced check set after a skewed training set: 50%, not the training prior's 98%)
    rate, where = float(prior.max()), ""
    evaluated = _counts(run, "eval_counts")
    if acc is not None and acc[0] == "eval_acc" and evaluated is not None and \
            len(evaluated) > majority_class and evaluated.sum() > 0:
        share = float(evaluated[majority_class] / evaluated.sum())
        rate, where = share, (" of the evaluated labels" if abs(share - rate) > 0.01 else "")
    at_majority = acc is not None and acc[1] <= rate + p["acc_margin"] and not recalls_all
    # (where per-class recall is known, an accuracy at the majority rate is the skew's doing only
    # when the misses follow frequency: a model that learned nothing misses the majority as well)
    follows = evidence.get("recall_frequency_correlation")
    if at_majority and follows is not None and not follows >= p["recall_follows_frequency"] and \
            not (majority_share is not None and majority_share >= p["majority_share"]):
        at_majority = False
    evidence["predicts_majority"] = bool(
        at_majority or (majority_share is not None and majority_share >= p["majority_share"]))
    if majority_share is not None:
        evidence["majority_prediction_share"] = majority_share
    if acc is not None:
        evidence[f"final_{acc[0]}"] = acc[1]
        if at_majority:
            harm.append(f"{acc[0].replace('_', ' ')} {acc[1]:.1%} is no better than always predicting "
                        f"class {majority_class} ({rate:.1%}{where})")
    severity = Severity.WARNING if harm else Severity.INFO
    tail = ": " + "; ".join(harm) if harm else "; the model still recalls every class"
    lost = _learned_then_lost(run, mode == "eval", float(prior.max()), p["learned_share"])
    if harm and lost is not None:
        # the model had recalled the rare classes and then lost them: something undid the
        # learning (a too-high lr, a collapse); the skew did not stop it from learning them
        evidence["best_acc_before"], evidence["best_acc_step"] = lost
        severity = Severity.INFO
        tail += (f" — after reaching {lost[0]:.1%} at step {lost[1]}: the skew did not keep it from "
                 f"learning the rare classes")
    if evidence["weighted_loss"]:
        tail += " (the training loss already weighs the classes)"
    return [Finding("class_imbalance", severity,
                    summary=f"labels are skewed {fmt(skew)}:1 (class {majority_class} is "
                            f"{prior.max():.0%} of the targets, class {minority_class} "
                            f"{prior[minority_class]:.1%}){tail}",
                    evidence=evidence, params=p)]
