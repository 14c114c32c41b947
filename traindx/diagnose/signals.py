"""Small derived signals that several detectors share."""
from __future__ import annotations

import math
import re
import warnings

import numpy as np

from ..runs.model import LayerTable, Run, Series

SKIP_MODULE_TYPES = ("Embedding", "EmbeddingBag", "BatchNorm", "LayerNorm", "GroupNorm",
                     "InstanceNorm", "RMSNorm")


def block_medians(values: np.ndarray, max_points: int = 2000) -> np.ndarray:
    """A long series reduced to at most ~`max_points` medians of consecutive blocks, so that
    window statistics stay linear in the run's length (a 1M-step run reads like a 2k-step one)."""
    n = len(values)
    if n <= max_points:
        return values
    b = n // max_points
    return np.median(values[: n - n % b].reshape(-1, b), axis=1)


def robust_start_end(s: Series, frac: float = 0.1, min_points: int = 3) -> tuple[float, float]:
    """Medians of the first and last `frac` of a series (at least `min_points` each)."""
    v = s.values
    k = max(min_points, int(len(v) * frac))
    k = min(k, max(len(v) // 2, 1))
    return float(np.median(v[:k])), float(np.median(v[-k:]))


def value_near(s: Series, step: int, span: int) -> float:
    """Median of the series over (step - span, step]; the nearest point if the window is empty."""
    mask = (s.steps > step - span) & (s.steps <= step)
    if mask.any():
        return float(np.median(s.values[mask]))
    return float(s.values[np.argmin(np.abs(s.steps - step))])


def module_types(run: Run) -> dict[str, str]:
    return {m.get("name", ""): m.get("type", "") for m in run.meta.get("model", []) or []}


def module_of(param: str, types: dict[str, str]) -> str:
    """The module a parameter belongs to, as `module_types` names it: the name before its last dot;
    but a first model that is itself one layer (an Embedding called on its own, no nn.Module
    around the model) is named after its type while its parameters carry no prefix."""
    module = param.rpartition(".")[0]
    if module or module in types:
        return module
    return next((name for name, kind in types.items() if name == kind), module)


def norm_or_embedding_name(module: str) -> bool:
    """A module name that says norm or embedding (`norm1`, `bn2`, `tok_emb`): the rule when the
    module types are not known."""
    return any(t in module.lower() for t in ("norm", "bn", "emb"))


def input_stat(run: Run, stat: str, source: str = "input") -> float | None:
    """The median over the sampled steps of a statistic of the model's input (column "input"), or,
    with `source` "first_layer_input", of what its first weight layer received."""
    m = run.activations.get(f"{source}_{stat}") if run.activations is not None else None
    if m is None or "input" not in run.activations.layers:
        return None
    col = m[:, run.activations.layers.index("input")]
    col = col[np.isfinite(col)]
    return float(np.median(col)) if len(col) else None


def module_block(param: str) -> str:
    """The container of a parameter's module: `coupling.net` for `coupling.net.4.weight`, `deep`
    for `deep.4.weight`, "" for a top-level `0.weight`."""
    return param.rpartition(".")[0].rpartition(".")[0]


def weight_layers(run: Run, table: LayerTable) -> list[int]:
    """Columns of the parameter table that are weight matrices/filters of compute layers
    (not biases, norms or embeddings), in model order: the input end first."""
    types = module_types(run)
    shapes = run.meta.get("param_shapes", {})
    cols = []
    for i, name in enumerate(table.layers):
        module, leaf = module_of(name, types), name.rpartition(".")[2]
        if shapes.get(name):  # ([] is a lazy module's weight before its first forward: unknown)
            if len(shapes[name]) < 2:
                continue
        elif leaf not in ("weight", "weight_ih_l0", "weight_hh_l0") and not leaf.startswith("weight"):
            continue
        if any(types.get(module, "").startswith(t) for t in SKIP_MODULE_TYPES):
            continue
        if not types and norm_or_embedding_name(module):
            continue
        cols.append(i)
    return cols


def like_groups(names: list[str], min_size: int, blocks_only: bool = False) -> list[list[int]]:
    """Indices of the layers of one kind repeated with depth, in model order, for each kind with at
    least `min_size` members. A kind is the name with its numbers taken out, so
    blocks.0.attn.q.weight and blocks.5.attn.q.weight are alike, and so are fc1.weight and
    fc3.weight: a depth profile compares like with like (attention's query/key weights have
    naturally small gradients next to its MLP's). `blocks_only`: only the block numbers (numeric
    path parts) are taken out: blocks.0.mlp.w1 and blocks.1.mlp.w2 (SwiGLU's in and out) differ."""
    pattern = r"(?<![^.])\d+(?![^.])" if blocks_only else r"\d+"
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(re.sub(pattern, "#", name), []).append(i)
    return [g for g in groups.values() if len(g) >= min_size]


def has_attention(run: Run) -> bool:
    """Whether the model holds attention: its parameters of different kinds cannot be compared
    with each other along depth."""
    types = module_types(run).values()
    names = list(run.params.layers) if run.params is not None else []
    return any("Attention" in t for t in types) or any(
        re.search(r"(^|[._])(attn|attention|self_attn|query|key|q_proj|k_proj|c_attn)([._]|$)", n)
        for n in names)


def relative_grads(table: LayerTable) -> np.ndarray | None:
    """|grad| / |weight| per (step, layer); NaN where either is missing or the weight is zero."""
    g, w = table.get("grad_norm"), table.get("weight_norm")
    if g is None or w is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(w > 0, g / w, np.nan)
    return rel


def total_grad_norm(run: Run) -> Series | None:
    """The global gradient norm: logged directly, from clipping, or summed from the layers."""
    for key in ("grad_norm_preclip", "grad_norm"):
        s = run.series(key)
        if s is not None:
            return s
    if run.params is not None and run.params.get("grad_norm") is not None:
        g = run.params.get("grad_norm")
        # a NaN cell may only mean "this layer was not measured at this step"; a gradient that
        # really held NaN/Inf is flagged in grad_nonfinite and makes that step's total NaN
        with np.errstate(invalid="ignore", over="ignore"):
            total = np.sqrt(np.nansum(g ** 2, axis=1))
        flagged = run.params.get("grad_nonfinite")
        broken = np.isnan(g).all(axis=1)
        if flagged is not None:
            broken |= (np.nan_to_num(flagged, nan=0.0) > 0).any(axis=1)
        return Series(run.params.steps, np.where(broken, np.nan, total))
    return None


def is_language_model(run: Run) -> bool:
    """Next-token or masked-token prediction: the classes are the model's own input vocabulary
    (an embedding table with one row per class, or a few more: the PAD/MASK/BOS tokens that are
    inputs and never targets). Token frequencies are skewed by nature there. Code with raw
    tensors (makemore's C[X], or one-hot tokens @ W) has no Embedding module: there a table with
    a row per class of a vocabulary (`MIN_VOCAB`) is one, the x @ W layout putting inputs first.
    The classes are counted from the labels, or, where a vocabulary is too large for per-class
    counts (wikitext's 33k words), from the classification loss's input."""
    classes = class_count(run)
    if classes < 3:
        return False
    types = module_types(run)
    for name, shape in (run.meta.get("param_shapes") or {}).items():
        module = module_of(name, types)
        if len(shape) != 2:
            continue
        extra = shape[0] - classes
        special = 0 <= extra <= max(SPECIAL_TOKENS, 0.05 * classes)
        if types.get(module, "").startswith("Embedding"):
            if extra == 0 or (classes >= MIN_VOCAB and special):
                return True
        elif module not in types and classes >= MIN_VOCAB and special:
            return True
    return False


def class_count(run: Run) -> int:
    """How many classes the classification loss chooses among: from the label counts, or, where a
    vocabulary is too large for per-class counts, from the loss's input; 0 when unknown."""
    counts = run.labels.get("train_counts") or run.labels.get("eval_counts") or run.labels.get("counts")
    return len(counts) if counts else max((loss.get("classes") or 0 for loss in train_losses(run)), default=0)


MIN_VOCAB = 16  # a vocabulary with special tokens beyond the classes: more classes than a label set
SPECIAL_TOKENS = 4  # PAD, MASK, BOS, EOS: input rows that are never targets (or 5% of the vocabulary)


def train_losses(run: Run) -> list[dict]:
    """The loss functions the training called, as recorded ({name, kind, input_dtype, weighted,
    summed, classes}); "backward" for a loss written by hand (the tensor backward() ran on)."""
    return [loss for loss in run.meta.get("losses") or [] if loss.get("train")]


def loss_scale(run: Run, p: dict, input_std: float) -> dict | None:
    """Why the gradients are large whatever the model and its initialisation: the training loss
    sums `summed_over` or more values per batch (reduction="sum": each gradient is that many times
    a mean's), or regresses targets whose root mean square is `target_rms` or more, or (a loss
    written by hand, no cross-entropy) starts at `loss_level` or more: its errors and their
    gradients start that large. Only for inputs measured at unit scale (std at most
    `input_std`): raw inputs make gradients as large by themselves."""
    std = input_stat(run, "std", "first_layer_input") or input_stat(run, "std")
    if std is None or std > input_std:
        return None
    widest = max(train_losses(run), key=lambda loss: loss.get("summed") or 0, default={})
    summed = widest.get("summed") or 0
    if summed >= p["summed_over"]:
        return {"criterion": "summed_loss", "summed_over": summed, "summed_over_text": str(summed),
                "summed_loss": widest["name"],
                "loss_scale": f"the loss sums {summed} values per batch (reduction='sum'), so its "
                              f"gradients are {summed}x a mean's"}
    sq, tr = run.series("target_sq"), run.series("train_loss")
    rms = float(np.sqrt(sq.finite().values[0])) if sq is not None and len(sq.finite()) else 0.0
    if rms >= p["target_rms"]:
        return {"criterion": "target_scale", "target_rms": rms, "target_rms_text": fmt(rms),
                "loss_scale": f"the regression targets' root mean square is {fmt(rms)} (unit scale "
                              f"expected), so the errors and their gradients start that large"}
    first = float(tr.finite().values[0]) if tr is not None and len(tr.finite()) else 0.0
    # (a cross-entropy far above ln C has logits far from zero: the model's scale, not the loss's)
    logits = any(loss.get("kind") in ("classification", "binary") for loss in train_losses(run))
    if first >= p["loss_level"] and sq is None and not logits:
        return {"criterion": "loss_level", "first_loss": first, "first_loss_text": fmt(first),
                "loss_scale": f"the loss starts at {fmt(first)} (a mean over unit-scale targets "
                              f"starts near 1-10), so its gradients start that large"}
    return None


def squashed_loss_input(run: Run) -> dict | None:
    """{"squash", "classes", "loss"}: a training loss whose input the model had already put
    through the softmax/sigmoid that the loss applies itself (recorded from the autograd graph)."""
    for loss in train_losses(run):
        if loss.get("squashed"):
            return {**loss["squashed"], "loss": loss["name"]}
    return None


def sorted_by_class(run: Run, p: dict) -> dict | None:
    """{batch_purity, pooled_majority, batch_labels}: the sampled training batches are each
    mostly one class (median share `sorted_purity` or more, `sorted_min_labels` labels or more)
    while the classes they hold together are mixed (majority `sorted_pool` or less): data sorted by
    class and never shuffled. The sampled batches' label counts then describe where in the data
    the sampling fell, not the data's class balance."""
    purity, size = run.series("batch_purity"), run.series("batch_labels")
    counts = run.labels.get("train_counts")
    if purity is None or size is None or len(purity.finite()) < 3 or not counts or sum(counts) <= 0:
        return None
    batch, labels = float(np.median(purity.finite().values)), float(np.median(size.finite().values))
    pooled = max(counts) / sum(counts)
    if batch < p["sorted_purity"] or pooled > p["sorted_pool"] or labels < p["sorted_min_labels"]:
        return None
    return {"batch_purity": batch, "pooled_majority": pooled, "batch_labels": labels}


def weighted_loss(run: Run) -> bool:
    """The training loss weighs classes or samples (`weight=`, `pos_weight=`, Keras `class_weight`):
    its value is not comparable with the class prior's cross-entropy, and a model that trades
    accuracy for the rare classes' recall is doing what it was asked."""
    return bool(run.meta.get("weighted_loss")) or any(loss.get("weighted") for loss in train_losses(run))


def class_prior(run: Run) -> np.ndarray | None:
    counts = run.labels.get("train_counts") or run.labels.get("counts")
    if not counts:
        return None
    c = np.asarray(counts, dtype=np.float64)
    return c / c.sum() if c.sum() > 0 else None


def return_improved(run: Run) -> dict | None:
    """A reinforcement-learning run whose return (train, else held-out) rose: its end (median of
    the last tenth, at least 3 points) above its start (median of the first 3) by at least half
    the range it spans. The losses of such a run chase targets that move as the policy improves
    (a critic's returns grow, a TD target follows a synced network): a loss that rises or stays
    flat there is no divergence and no failure to learn (fresh14: an A2C whose critic loss rose
    20x while its return went from 0 to 187 of 200)."""
    for name in ("train_return", "eval_return"):
        s = run.series(name)
        v = s.finite().values if s is not None else np.zeros(0)
        if len(v) < 4:
            continue
        start, end = float(np.median(v[:3])), float(np.median(v[-max(3, len(v) // 10):]))
        span = float(v.max() - v.min())
        if span > 0 and end - start >= 0.5 * span:
            return {"return": name, "return_start": start, "return_end": end,
                    "sentence": f"its {name.replace('_', ' ')} rose from {fmt(start)} to {fmt(end)}"}
        return None
    return None


def pooled_train_accuracy(run: Run, examples: float) -> float | None:
    """A recorded run's train accuracy at the end, pooled over enough examples: the mean of the
    last sampled batches' accuracies (the last tenth of them, more until they hold `examples`
    labels, none from the first half of the run's steps: a short run's dense start is the model
    before it learned). The median of a few tiny batches is no error rate: four batches of 4 all
    right say 1.0 of a model that errs on 8% (fresh14: batch 4, 14 points of "variance" against a
    validation error of 14%)."""
    s = run.series("train_acc")
    fin = s.finite() if s is not None else None
    labels = sum(run.labels.get("train_counts") or ())
    if fin is None or not len(fin) or not labels:
        return None
    per_point = labels / len(fin)
    late = int(np.sum(fin.steps >= (fin.steps[0] + fin.steps[-1]) / 2))
    k = min(max(len(fin) // 10, math.ceil(examples / per_point), 1), max(late, 1))
    return float(np.mean(fin.values[-k:]))


def learned_well(run: Run, share: float) -> dict | None:
    """The model demonstrably learned its task: the held-out (else the train) accuracy ends with an
    error rate at most `share` of what always predicting the majority class gets (without a known
    class prior: at 90% accuracy or more); a regression without accuracies: its squared error
    (held-out first) ends at most `share` of the targets' variance. Median of the last points. None
    when neither was measured or it ends higher. Evidence for severity: a side effect that did not stop a model from
    learning is a note, not a warning."""
    prior = class_prior(run)
    majority = float(prior.max()) if prior is not None and len(prior) > 1 else None
    for name in ("eval_acc", "train_acc"):
        s = run.series(name)
        fin = s.finite() if s is not None else None
        if fin is None or len(fin) < 3:
            continue
        end = float(np.median(fin.values[-max(3, len(fin) // 10):]))
        good = 1 - end <= share * (1 - majority) if majority is not None else end >= 0.9
        return {"accuracy": name, "end_accuracy": end, "majority_rate": majority,
                "sentence": f"{name.replace('_', ' ')} ends at {end:.1%}"} if good else None
    # a regression: its squared error (held-out first) at most `share` of the targets' variance
    # (R^2 of at least 1 - share)
    chance = regression_chance(run)
    for name in ("eval_loss", "train_loss") if chance else ():
        s = run.series(name)
        fin = s.finite() if s is not None else None
        if fin is None or len(fin) < 3:
            continue
        end = float(np.median(fin.values[-max(3, len(fin) // 10):]))
        return {"loss": name, "end_loss": end, "target_variance": chance,
                "sentence": f"{name.replace('_', ' ')} ends at {fmt(end)}, {fmt_share(end / chance)} of the "
                            f"targets' variance"} if end <= share * chance else None
    return None


def chance_loss(prior: np.ndarray) -> float:
    """Cross-entropy of always predicting the class prior: the loss of a model that learned nothing."""
    p = prior[prior > 0]
    return float(-(p * np.log(p)).sum()) if len(p) > 1 else math.nan


def regression_chance(run: Run) -> float | None:
    """The squared error of always predicting the targets' mean (median over the later half of
    the sampled batches of their per-output variance; recorded for an MSE loss): a regression's
    chance level where the losses it is compared with end. Targets whose spread moves during the
    run (a critic's returns that grow as the policy improves, a drifting stream) are judged at the
    end, not by their start (fresh14: an A2C critic, 2.0 early, 20-120 late)."""
    s = run.series("target_var")
    fin = s.finite() if s is not None else None
    v = fin.values[fin.values > 0] if fin is not None else np.zeros(0)
    return float(np.median(v[len(v) // 2:])) if len(v) else None


def chance_level(run: Run) -> float | None:
    """The loss of a model that learned only the targets' distribution, not their link to the
    inputs: the class prior's cross-entropy (None under a loss that weighs the classes), or the
    targets' variance under an MSE loss."""
    prior = class_prior(run)
    if prior is not None and len(prior) > 1:
        c = chance_loss(prior)
        return c if math.isfinite(c) and c > 0 and not weighted_loss(run) else None
    return regression_chance(run)


def drop_below_chance(s: Series, chance: float | None) -> float:
    """How far the loss fell, from where it started or from the chance level if it started above
    it (fitting the offset or the prior is not learning); a run that started trained (a fine-tune,
    a resumed training) is credited with what it had learned before, or with its own drop where
    that is larger. relative_drop when there is no chance level; 0 when it ends at or above it."""
    start, end = robust_start_end(s)
    if chance is None:
        return relative_drop(s)
    below = max(chance - end, 0.0) / chance
    if start > chance:
        return below
    return max(below, relative_drop(s)) if started_trained(s, chance) else relative_drop(s)


TRAINED_START = 0.75  # a loss this far below the chance level at its first points was trained before


def started_trained(s: Series, chance: float | None) -> bool:
    """Whether the loss's first points (the model as the run got it) are already `TRAINED_START`
    of the chance level or less: a fine-tune or a resumed training. A model initialised from
    scratch starts at about the chance level (near-uniform outputs score ln C, at or above the
    prior's entropy) or above it (confidently wrong)."""
    v = s.finite().values
    return chance is not None and len(v) >= 3 and float(np.median(v[:3])) <= TRAINED_START * chance


def orders(a: float, b: float) -> float:
    """log10(b / a), NaN when undefined."""
    if not (a > 0 and b > 0 and math.isfinite(a) and math.isfinite(b)):
        return math.nan
    return math.log10(b / a)


def fmt(x: float) -> str:
    return f"{x:.3g}" if isinstance(x, (int, float)) and math.isfinite(x) else str(x)


def fmt_pair(a: float, b: float) -> tuple[str, str]:
    """Two numbers with just enough significant digits to show that they differ (a sentence
    "rose from 10.7 to 10.7" contradicts itself)."""
    for digits in range(3, 8):
        sa, sb = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if sa != sb or a == b:
            return sa, sb
    return sa, sb


def fmt_share(x: float) -> str:
    """A fraction as a percentage with digits enough not to read 0% for a 0.2% change."""
    if not (isinstance(x, (int, float)) and math.isfinite(x)):
        return str(x)
    a = abs(x) * 100
    return f"{x:.0%}" if a >= 10 or a == 0 else f"{x:.1%}" if a >= 1 else f"{x * 100:.2g}%"


def fell_only(drop: float) -> str:
    """"fell only 4.5%" for a small relative drop, "rose 0.26%" for a negative one."""
    return f"rose {fmt_share(-drop)}" if drop < 0 else f"fell only {fmt_share(drop)}"


def ratio_layers(run: Run, table: LayerTable) -> list[int]:
    """The weight layers whose update/weight ratio measures a step size: not one that started at
    zero (a LoRA adapter's B, a zero-initialised residual branch), whose norm is the distance its
    own steps have travelled so far (any lr moves it by "its own norm" at first, ~1/t after)."""
    cols = weight_layers(run, table)
    w = table.get("weight_norm")
    if w is None:
        return cols
    keep = []
    for c in cols:
        v = w[:, c][np.isfinite(w[:, c])]
        if not len(v) or v[0] > 0:
            keep.append(c)
    return keep


def update_ratios(run: Run, zero_grad: float = 1e-12) -> dict[str, float]:
    """Median update/weight ratio |dw|/|w| per weight layer over the sampled steps, input end first.
    Layers that got no gradient at all (|g|/|w| < zero_grad) are left out: a dead or cut-off layer
    says nothing about the learning rate."""
    table = run.params
    if table is None or table.get("update_ratio") is None:
        return {}
    ur = table.get("update_ratio")
    rel = relative_grads(table)
    out: dict[str, float] = {}
    for c in ratio_layers(run, table):
        v = ur[:, c]
        ok = np.isfinite(v)
        if rel is not None:
            with np.errstate(invalid="ignore"):
                ok &= ~(rel[:, c] < zero_grad)
        if ok.any():
            out[table.layers[c]] = float(np.median(v[ok]))
    return out


def first_update_ratio(run: Run) -> float | None:
    """The median over weight layers of the first recorded update's size relative to the weights:
    taken before an lr far too high has wrecked the weights (the later ratios are then inflated by
    the gradients the wreck produced), so it scales linearly with the lr that made it."""
    table = run.params
    ur = table.get("update_ratio") if table is not None else None
    cols = ratio_layers(run, table) if ur is not None else []
    for row in ur[:, cols] if cols else ():
        v = row[np.isfinite(row) & (row > 0)]
        if len(v):
            return float(np.median(v))
    return None


def peak_update_ratio(run: Run, zero_grad: float = 1e-12) -> tuple[float, int | None]:
    """The largest per-step median (over weight layers) update/weight ratio, and its step: a
    schedule that warms up to too high a rate shows here even when later steps are small."""
    table = run.params
    if table is None or table.get("update_ratio") is None:
        return math.nan, None
    cols = ratio_layers(run, table)
    if not cols:
        return math.nan, None
    ur = table.get("update_ratio")[:, cols].copy()
    rel = relative_grads(table)
    if rel is not None:
        with np.errstate(invalid="ignore"):
            ur[rel[:, cols] < zero_grad] = np.nan
    ur[~np.isfinite(ur)] = np.nan
    rows = np.isfinite(ur).any(axis=1)
    if not rows.any():
        return math.nan, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        per_step = np.nanmedian(ur[rows], axis=1)
    i = int(np.nanargmax(per_step))
    return float(per_step[i]), int(table.steps[rows][i])


def started_small(run: Run, below: float = 0.1) -> tuple[set[str], int]:
    """The weight layers whose first measured rms is under `below` times the usual initial scale
    1/sqrt(3 fan_in) (PyTorch's default for Linear and Conv): zero or tiny initialisations (a flow's
    zero-initialised coupling outputs, a zero-init residual branch); and how many weight layers
    were measured at the run's first step. Their |g|/|w| measures their own smallness."""
    table = run.params
    w = table.get("weight_norm") if table is not None else None
    shapes = run.meta.get("param_shapes") or {}
    cols = [c for c in weight_layers(run, table) if len(shapes.get(table.layers[c], ())) >= 2] \
        if w is not None else []
    if not cols or int(table.steps[0]) > 1:
        return set(), 0
    small = set()
    for c in cols:
        shape = shapes[table.layers[c]]
        fan_in = math.prod(shape[1:]) if len(shape) > 2 else min(shape)  # (a raw x @ W is [in, out])
        rms = w[0, c] / math.sqrt(math.prod(shape))
        if np.isfinite(rms) and rms < below / math.sqrt(3 * max(fan_in, 1)):
            small.add(table.layers[c])
    return small, len(cols)


def relative_drop(s: Series) -> float:
    """(start - end) / |start| of a series, from robust medians; NaN when undefined."""
    start, end = robust_start_end(s)
    return (start - end) / abs(start) if start else math.nan


def measured_rows(table: LayerTable, stat: str, cols: list[int] | None = None) -> np.ndarray:
    """Indices of the rows where `stat` was measured for at least one of `cols` (a table may hold
    rows for the same step from several chunks, e.g. the input statistics apart from the layers)."""
    m = table.get(stat)
    if m is None:
        return np.zeros(0, dtype=int)
    sub = m if cols is None else m[:, cols]
    return np.where(np.isfinite(sub).any(axis=1))[0]


def late_median(table: LayerTable, stat: str, frac: float = 0.25,
                rows: np.ndarray | None = None) -> np.ndarray | None:
    """Per-layer median of `stat` over the last `frac` of the sampled steps where it was measured
    (or of `rows`), NaN-aware."""
    m = table.get(stat)
    if m is None or not len(m):
        return None
    m = m[measured_rows(table, stat) if rows is None else rows]
    if not len(m):
        return None
    k = max(1, int(round(len(m) * frac)))
    with warnings.catch_warnings():  # all-NaN columns (stat not measured for a layer) stay NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(m[-k:], axis=0)


def decay_shrink(run: Run) -> tuple[float, float] | None:
    """(weight decay, weight-layer norm at the end over at the first sample, median over layers)
    for a run whose optimiser decays its weights; None without a decay or weight norms."""
    decay = max((float(o.get("weight_decay") or 0) for o in run.meta.get("optimizers") or []), default=0.0)
    norms = run.params.get("weight_norm") if run.params is not None else None
    cols = weight_layers(run, run.params) if norms is not None else []
    if not decay > 0 or not cols:
        return None
    w = norms[:, cols]
    rows = w[np.isfinite(w).all(axis=1)]
    if len(rows) < 2 or not (rows[0] > 0).all():
        return None
    return decay, float(np.median(rows[-1] / rows[0]))


def zero_saddle(run: Run) -> list[str]:
    """Matrices or tables (an embedding's too) that start at exactly zero and get an exactly zero
    gradient at every measured step: each one's gradient runs through another zero factor (matrix
    factorisation with both factor tables at zero, LoRA with A and B at zero), so they never move.
    A zero output layer gets its gradient from the layers before it: not stuck."""
    t = run.params
    w, g = (t.get("weight_norm"), t.get("grad_norm")) if t is not None else (None, None)
    if w is None or g is None or int(t.steps[0]) > 1 or len(t) < 3:
        return []
    shapes = run.meta.get("param_shapes", {})
    return [name for i, name in enumerate(t.layers)
            if len(shapes.get(name) or ()) >= 2 and 1 not in shapes[name]
            and w[0, i] == 0 and np.isfinite(g[:, i]).all() and not g[:, i].any()]
