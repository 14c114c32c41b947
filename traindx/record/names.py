"""The spelling table of metric names: which data set (`train`, `val`, `test`, ...) and which
metric (`loss`, `acc`, `lr`, ...) a name says. One table for every place a name comes in: a key
given to `traindx.log`, a number the script prints, a column of a logged file (runs/formats/
columns.py adds `--map` and the choice among several columns)."""
from __future__ import annotations

import functools
import re

from .languages import english

SPLITS = {
    "train": {"train", "training", "trn", "tr", "fit"},
    "eval": {"val", "valid", "validation", "eval", "evaluation", "dev", "heldout", "holdout"},
    "test": {"test", "testing"},
}
METRICS = {
    "loss": "loss", "batchloss": "loss", "batch_loss": "loss",  # Ignite's OutputHandler("training", ...)
    "cost": "loss",  # the course's name for the loss J ("Cost after iteration 100: 0.69")
    "acc": "acc", "accuracy": "acc", "categorical_accuracy": "acc",
    "sparse_categorical_accuracy": "acc", "binary_accuracy": "acc", "top1": "acc", "acc1": "acc",
    "top_1": "acc", "accuracy_top_1": "acc", "acc_top_1": "acc", "top1_acc": "acc", "top_1_acc": "acc",
    "top1_accuracy": "acc", "top_1_accuracy": "acc",  # mmcv's `accuracy_top-1`, timm's `top1`
    "lr": "lr", "learning_rate": "lr",
    "grad_norm": "grad_norm", "gradient_norm": "grad_norm", "grad_norm_total": "grad_norm",
    "total_grad_norm": "grad_norm", "global_grad_norm": "grad_norm", "grads_norm": "grad_norm",
    "gnorm": "grad_norm",  # fairseq
    "balanced_acc": "bacc", "balanced_accuracy": "bacc", "bal_acc": "bacc",  # mean per-class recall
    "macro_recall": "bacc", "recall_macro": "bacc",
    # a classification error rate (fastai's default metric `error_rate`, timm's `top1_err`): 1 - acc
    "error_rate": "error", "err_rate": "error", "top1_err": "error", "top1_error": "error",
    "top_1_err": "error", "top_1_error": "error",
    # what a reinforcement-learning run optimises (higher is better); its losses chase targets that
    # move as the policy improves (a critic's returns grow), so the return is what says it learns
    "return": "return", "returns": "return", "reward": "return", "rewards": "return",
    "episode_return": "return", "episode_reward": "return", "episodic_return": "return",
    "ep_return": "return", "ep_reward": "return", "ep_rew": "return",
}
# the name of a loss function used as the metric's name (`train_mse`, `val_nll`): the loss, when
# no column says `loss` (a regression logged as `mse` is that); ranked after every `loss` spelling
LOSS_FUNCTIONS = {"mse", "squared_error", "mae", "absolute_error", "nll", "cross_entropy",  # "mean" is a
                  "crossentropy", "xent", "bce", "huber", "smooth_l1",  # qualifier: mean_squared_error
                  "ctc", "pinball", "quantile", "nt_xent", "ntxent", "info_nce", "infonce", "focal", "dice",
                  "dice_ce", "triplet", "contrastive", "elbo", "kd", "distill", "distillation"}
LOSS_FUNCTION_PENALTY = 4
LOSS_FUNCTIONS |= {"l1"}  # (L1Loss: `train/l1`)
# a loss function's word qualified by words the table does not know (`train_poisson_nll`,
# `val/mse_log` of a log target, `train_mse_usd2` with its unit): that loss, ranked after every
# other spelling (one word: a score such as `dice` or a `quantile` is no loss by itself)
LOSS_WORDS = {"mse", "mae", "nll", "bce", "huber", "xent", "l1", "crossentropy", "ctc", "pinball", "elbo"}
# metrics that are a loss on another scale, read back onto the loss's own: an RMSE squared is the
# MSE, a perplexity's log and bits per character times ln 2 the cross-entropy in nats
LOSS_SCALES = {"rmse": "square", "perplexity": "log", "ppl": "log", "bpc": "bits", "bits_per_char": "bits"}
LOSS_FUNCTIONS |= set(LOSS_SCALES)
# a metric word qualified by words the table does not know (`focal_loss`, `dev_token_acc`,
# `TrainCosLoss`): that metric, ranked after every known spelling. Several such columns of one
# signal are the parts of a loss (`loss_cls`, `loss_box_reg`): columns.assign then takes none.
GENERIC = {"loss": "loss", "acc": "acc", "accuracy": "acc"}
GENERIC_RANK = 10
QUALIFIERS = {"step": 2, "epoch": 3, "mean": 1, "avg": 1, "average": 1, "total": 1, "running": 1}
AXES = {
    "step": {"step", "global_step", "trainer/global_step", "iteration", "iter", "it", "_step", "steps",
             "batch", "num_steps"},
    "epoch": {"epoch", "epochs", "ep"},
}
# TensorBoard groups that file full metric names ("Loss/train_loss"); a phase ("source/train_loss")
# is not one of them
GROUPS = {"loss", "losses", "accuracy", "acc", "metrics", "scalars"}
# words that only hold names (`metrics/val/mse` of a nested JSON record is `val/mse`)
CONTAINERS = {"metrics", "scalars", "charts", "rollout"}  # (rollout/ep_rew_mean: Stable-Baselines3)
# a reference error the script logs beside its curves (`bayes_err`, `error/bayes`, `human_error`):
# the Bayes error, or human-level error as its proxy, on the scale of the run's error rate; with a
# loss's word (`bayes_mse`, `bayes_loss`) the floor of its loss
REFERENCE_WORDS = {"bayes", "human"}
# spellings matched whole, before the word rules
SPECIAL = [
    (re.compile(r"^grad_[\d.]+_norm_total$"), "grad_norm"),  # Lightning's utilities.grad_norm
    # Lightning's LearningRateMonitor: lr-Adam, lr-SGD/pg1, ...
    (re.compile(r"^lr[-_/](adam|adamw|sgd|rmsprop|adagrad|optimizer|pg\d)", re.I), "lr"),
    # Ignite's OptimizerParamsHandler: lr/group_0 (the first group wins the tie on its name)
    (re.compile(r"^lr[-_/]group_?\d+$", re.I), "lr"),
]


@functools.lru_cache(maxsize=4096)  # (a text log asks for the same few names on every line)
def _words(name: str) -> tuple[str, ...]:
    """Words of a name: split at `_ / - . :` and spaces, and where camelCase starts a word
    (`TrainCosLoss` is train, cos, loss); another language's words in English (`val_verlust` is
    val, loss: languages.py)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return tuple(english([w for w in re.split(r"[_/\-.:'\s]+", spaced.lower()) if w]))


def stem(name: str) -> tuple[str, ...]:
    """A name's words less its split and qualifier words: `train_focal_loss_step` and
    `train_focal_loss_epoch` are one metric (`focal`, `loss`), `loss_cls` and `loss_box_reg` two."""
    return tuple(w for w in _words(name) if w not in SPLIT_NAMES and w not in QUALIFIERS)


def classify(name: str) -> tuple[str, int] | None:
    """(canonical name, rank) for a column name, lower rank = more direct; None if unknown. A
    TensorBoard tag that files a full name under a group ("Loss/train_loss", "Loss/valid_acc", as
    skorch's callback writes them) is that name."""
    whole = _classify(name)
    group, _, last = name.strip("/").rpartition("/")
    if (whole is None or whole[1] >= GENERIC_RANK) and group.lower() in GROUPS and _classify(last):
        inner = _classify(last)
        return (inner[0], inner[1] + 1) if inner else None
    return whole


def _classify(name: str) -> tuple[str, int] | None:
    low = name.strip().lower()
    kind = axis(name)
    if kind is not None:
        return kind, 0
    for pattern, canon in SPECIAL:
        if pattern.search(low):
            return canon, 2
    words = _words(name)
    if REFERENCE_WORDS & set(words) and not set(SPLIT_NAMES) & set(words):
        # the error the task allows, as the run states it (see REFERENCE_WORDS); an
        # accuracy is not an error: not read; a loss's floor (`bayes_mse`) is on the loss's scale
        if {"acc", "accuracy"} & set(words):
            return None
        return ("bayes_loss" if (LOSS_WORDS | {"loss"}) & set(words) else "bayes_error"), 1
    splits = [s for s, names in SPLITS.items() if any(w in names for w in words)]
    if len(splits) > 1:
        return None
    rest = [w for w in words if not any(w in names for names in SPLITS.values()) and w not in CONTAINERS]
    penalty = sum(QUALIFIERS.get(w, 0) for w in rest)
    rest = [w for w in rest if w not in QUALIFIERS]
    metric = METRICS.get("_".join(rest))
    digits = [w for w in rest if w.isdigit()]
    if metric is None and len(digits) == 1 and set(rest) - set(digits) <= {"recall", "class"} and "recall" in rest:
        # one class's recall (`recall_1`, `val/recall_class_3`): the per-class view of a log
        return f"{splits[0] if splits else 'train'}_recall_{digits[0]}", 1 + penalty
    if metric is None and rest == ["recall"]:
        # a bare recall: the positive class's of a binary task (Keras' `Recall()`) or the mean over
        # classes (torchmetrics' multiclass default); class_imbalance reads it as either
        return f"{splits[0] if splits else 'train'}_recall", 1 + penalty
    if metric is None and "_".join(rest) in LOSS_FUNCTIONS:
        metric, penalty = "loss", penalty + LOSS_FUNCTION_PENALTY
    if metric is None and len(rest) > 1 and not set(rest) & set(GENERIC) and set(rest) & LOSS_WORDS:
        return f"{splits[0] if splits else 'train'}_loss", GENERIC_RANK + LOSS_FUNCTION_PENALTY + penalty
    if metric is None and rest and (rest[-1] in GENERIC or rest[0] in GENERIC):
        metric = GENERIC[rest[-1] if rest[-1] in GENERIC else rest[0]]
        if metric == "acc" and (len(rest) > 2 or any(re.fullmatch(r"top\d+", w) and w != "top1" for w in rest)):
            return None  # `acc_top5`, `acc_per_class_mean`: not the accuracy
        split = splits[0] if splits else "train"
        return f"{split}_{metric}", GENERIC_RANK + penalty
    if metric is None:
        return None
    split = splits[0] if splits else "train"
    if metric in ("lr", "grad_norm"):
        return (metric, 1 + penalty) if split == "train" else None
    canon = f"{split}_{metric}"
    return canon, 0 if low == canon else 1 + penalty


SPLIT_NAMES = {w: split for split, words in SPLITS.items() for w in words}


def split_of(name: str) -> str | None:
    """The one split a name says (`val_loss`, `Validation`: eval), else None."""
    found = {SPLIT_NAMES[w] for w in _words(name) if w in SPLIT_NAMES}
    return found.pop() if len(found) == 1 else None


def axis(name: str) -> str | None:
    """"step" or "epoch" when the name is an axis (`global_step`, `Epoche`, `エポック`), else None."""
    low = name.strip().lower()
    words = _words(name)
    for kind, spellings in AXES.items():
        if low in spellings or (len(words) == 1 and words[0] in spellings):
            return kind
    return None


def loss_scale(name: str) -> str | None:
    """How a loss column is scaled ("square", "log", "bits"), when it is an RMSE, a perplexity or
    bits per character rather than the loss itself."""
    return LOSS_SCALES.get("_".join(stem(name)))
