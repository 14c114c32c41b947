"""The run profile: what the training already does, derived from what was recorded (the
optimiser's hyper-parameters, the lr over time, clipping, the model's module types, the labels)
or read from a log. The planner reads it so that a remedy already in place is not proposed again
and advice fits the architecture and the task. Every fact may be None: not known, never guessed.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from ..runs.model import Run
from ..record.kinds import RELU_LIKE, SATURATING
from .signals import (first_update_ratio, has_attention, is_language_model, module_types,
                      total_grad_norm, train_losses)

ADAPTIVE = ("Adam", "AdamW", "NAdam", "RAdam", "Adamax", "Adafactor", "Lion", "LAMB", "Lamb")
NORMS = {"BatchNorm": "batch_norm", "SyncBatchNorm": "batch_norm", "LayerNorm": "layer_norm",
         "RMSNorm": "layer_norm", "GroupNorm": "group_norm", "InstanceNorm": "instance_norm",
         "BatchNormalization": "batch_norm", "LayerNormalization": "layer_norm",  # Keras
         "GroupNormalization": "group_norm", "UnitNormalization": "layer_norm"}
RECURRENT = ("LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "SimpleRNN", "Bidirectional")
WARMUP_RISE = 1.5  # the lr rises this much from its first value to its peak: a warm-up
DECAY_FALL = 0.5  # ... and ends at most this fraction of its peak: a decay


@dataclass
class Profile:
    framework: str | None = None  # keras | lightning | transformers | ignite | skorch (None: plain torch or unknown)
    optimizer: str | None = None  # adam | sgd | sgd_momentum | rmsprop | adagrad | manual | other
    optimizer_name: str | None = None  # "AdamW", as the script built it
    optimizer_assumed: bool | None = None  # True: a framework's default, the log naming none (HF Trainer: AdamW)
    lr: float | None = None  # the first lr of the first parameter group
    peak_lr: float | None = None
    momentum: float | None = None
    weight_decay: float | None = None
    decay_weights: bool | None = None  # weight decay > 0
    schedule: str | None = None  # constant | warmup | decay | warmup_decay
    clipping: bool | None = None
    clip_at: float | None = None  # the threshold, read off the norms before and after clipping
    normalization: list[str] = field(default_factory=list)  # batch_norm, layer_norm, group_norm, ...
    architecture: str | None = None  # mlp | cnn | rnn | transformer
    activation: str | None = None  # relu_like | saturating
    dropout: bool | None = None
    inputs: str | None = None  # tokens (an embedding first) | features
    task: str | None = None  # classification | language_modelling | regression
    precision: str | None = None  # fp32 | fp16 | bf16: the dtype of the train loss's input (logits)
    params: int | None = None
    grad_norm_start: float | None = None  # the global gradient norm at the first step
    first_update_ratio: float | None = None  # |w_after - w_before| / |w| of the first update

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}

    def facts(self) -> dict:
        """What rule conditions match against: every field, lists as they are."""
        return asdict(self)

    def describe(self) -> str:
        """One line for the report: "AdamW lr 3e-4 (warm-up + decay to peak 1e-3), clip at 1.0,
        transformer with LayerNorm, language modelling, 10.7M parameters"."""
        parts = []
        if self.optimizer_name:
            opt = self.optimizer_name + (" (the default)" if self.optimizer_assumed else "")
            if self.optimizer == "sgd_momentum" and self.momentum:
                opt += f" (momentum {self.momentum:g})"
            warmup = self.schedule in ("warmup", "warmup_decay")
            if warmup and self.peak_lr is not None:
                opt += f" lr warm-up {self.lr or 0:.3g} → {self.peak_lr:.3g}"
            elif self.lr is not None:
                opt += f" lr {self.lr:.3g}"
            if self.schedule in ("decay", "warmup_decay"):
                opt += ", decaying"
            parts.append(opt)
        if self.clipping:
            parts.append(f"clip at {self.clip_at:.3g}" if self.clip_at else "gradient clipping")
        if self.architecture:
            arch = {"mlp": "MLP", "cnn": "CNN", "rnn": "RNN"}.get(self.architecture, self.architecture)
            norms = " + ".join(n.replace("_", " ") for n in self.normalization)
            parts.append(arch + (f" with {norms}" if norms else ""))
        if self.task:
            parts.append(self.task.replace("_", " "))
        if self.precision in ("fp16", "bf16"):
            parts.append(self.precision)
        if self.params:
            parts.append(f"{self.params / 1e6:.3g}M parameters" if self.params >= 1e5 else f"{self.params:,} parameters")
        return ", ".join(parts)


def build(run: Run) -> Profile:
    framework = run.meta.get("framework")
    p = Profile(framework=framework if isinstance(framework, str) else None)
    _optimizer(run, p)
    _schedule(run, p)
    _clipping(run, p)
    _first_update(run, p)
    _model(run, p)
    _task(run, p)
    _precision(run, p)
    return p


def _optimizer(run: Run, p: Profile) -> None:
    opts = run.meta.get("optimizers") or []
    hp = opts[0] if opts and isinstance(opts[0], dict) else {}
    if not hp:  # a log's hyper-parameters (Lightning's hparams.yaml, MLflow params)
        hp = {k: v for k, v in (run.meta.get("hparams") or run.meta.get("params") or {}).items()
              if isinstance(k, str)}
    name = hp.get("type") or hp.get("optimizer") or hp.get("optim")
    if isinstance(name, str):
        p.optimizer_name = name
        p.optimizer_assumed = True if hp.get("assumed") else None
        low = name.lower()
        momentum = _number(hp.get("momentum"))
        p.momentum = momentum
        if low.startswith("manual"):
            p.optimizer = "manual"
        elif any(low.startswith(a.lower()) for a in ADAPTIVE) or "adam" in low:
            p.optimizer = "adam"
        elif low.startswith("sgd"):
            p.optimizer = "sgd_momentum" if momentum else "sgd"
        elif low.startswith("rmsprop"):
            p.optimizer = "rmsprop"
        elif low.startswith("adagrad") or low.startswith("adadelta"):
            p.optimizer = "adagrad"
        else:
            p.optimizer = "other"
    p.lr = _number(hp.get("lr", hp.get("learning_rate")))
    p.weight_decay = _number(hp.get("weight_decay"))
    p.decay_weights = None if p.weight_decay is None else p.weight_decay > 0
    clip = next((_number(hp[k]) for k in ("clipnorm", "global_clipnorm", "clipvalue") if k in hp), None)
    if clip:  # Keras clips inside its optimiser (torch's clip_grad_norm_ is never called)
        p.clipping, p.clip_at = True, clip


def adaptive_optimizer(run: Run) -> str | None:
    """The optimiser's name when it is Adam or a kin of it (their step per weight is about the lr,
    whatever the gradient's scale, so the lr alone says how far the weights can move), else None."""
    p = Profile()
    _optimizer(run, p)
    return p.optimizer_name if p.optimizer == "adam" else None


def optimizer_assumed(run: Run) -> bool:
    """Whether the optimiser is a framework's default the log does not name (see Profile)."""
    p = Profile()
    _optimizer(run, p)
    return bool(p.optimizer_assumed)


def _schedule(run: Run, p: Profile) -> None:
    lr = run.series("lr")
    fin = lr.finite() if lr is not None else None
    if fin is None or len(fin) < 3 or not (fin.values > 0).any():
        p.peak_lr = p.lr
        return
    v = fin.values
    first, peak, last = float(v[0]), float(v.max()), float(v[-1])
    p.lr = p.lr if p.lr is not None else first
    p.peak_lr = peak
    warm = peak >= WARMUP_RISE * first and int(np.argmax(v)) > 0
    decay = last <= DECAY_FALL * peak
    p.schedule = "warmup_decay" if warm and decay else "warmup" if warm else "decay" if decay else "constant"


def _clipping(run: Run, p: Profile) -> None:
    total = total_grad_norm(run)
    if total is not None:
        fin = total.finite()
        if len(fin) >= 3:  # a clipping threshold's scale
            # the first step's, before any update could have blown it up
            p.grad_norm_start = float(fin.values[0]) if fin.values[0] > 0 else None
    if p.clipping:  # the optimiser's own setting (Keras)
        return
    pre = run.series("grad_norm_preclip")
    if pre is None:
        # a torch recording captures every clip_grad_norm_ call: none seen means no clipping
        p.clipping = False if run.source_format == "traindx" and run.meta.get("optimizers") else None
        return
    p.clipping = True
    post = run.series("grad_norm")
    if post is None:
        return
    both = np.intersect1d(pre.steps, post.steps)
    a = pre.values[np.searchsorted(pre.steps, both)]
    b = post.values[np.searchsorted(post.steps, both)]
    clipped = np.isfinite(a) & np.isfinite(b) & (a > 1.01 * b) & (b > 0)
    if clipped.any():  # the norm after a clip is the threshold
        p.clip_at = float(np.median(b[clipped]))


def _first_update(run: Run, p: Profile) -> None:
    p.first_update_ratio = first_update_ratio(run)


def _model(run: Run, p: Profile) -> None:
    types = list(module_types(run).values())
    if run.activations is not None:
        types += list(run.activations.kinds.values())
    shapes = run.meta.get("param_shapes") or {}
    if shapes:
        p.params = int(sum(math.prod(s) for s in shapes.values()))
    if not types:
        return
    for t in types:
        for prefix, norm in NORMS.items():
            if t.startswith(prefix) and norm not in p.normalization:
                p.normalization.append(norm)
    if has_attention(run) or any("Attention" in t or "Transformer" in t for t in types):
        # MultiHeadAttention (torch, Keras), TransformerEncoderLayer, or attention by its names
        p.architecture = "transformer"
    elif any(t in RECURRENT for t in types):
        p.architecture = "rnn"
    elif any(t.startswith("Conv") for t in types):
        p.architecture = "cnn"
    elif any(t in ("Linear", "Dense", "LazyLinear") for t in types):
        p.architecture = "mlp"
    relu = sum(t in RELU_LIKE for t in types)
    sat = sum(t in SATURATING for t in types)
    p.activation = "saturating" if sat > relu else "relu_like" if relu else None
    p.dropout = any(t.startswith("Dropout") or t == "AlphaDropout" for t in types)
    model = run.meta.get("model") or []
    first = next((m.get("type", "") for m in model if m.get("params")), "")
    p.inputs = "tokens" if first.startswith("Embedding") else "features" if first else None


def _precision(run: Run, p: Profile) -> None:
    dtypes = {loss.get("input_dtype") for loss in train_losses(run)}
    for dtype, name in (("float16", "fp16"), ("bfloat16", "bf16"), ("float32", "fp32"), ("float64", "fp32")):
        if dtype in dtypes:
            p.precision = name
            return


def _task(run: Run, p: Profile) -> None:
    if is_language_model(run):
        p.task = "language_modelling"
    elif run.labels.get("train_counts") or run.labels.get("eval_counts") or run.labels.get("counts") \
            or run.has("train_acc") or run.has("eval_acc"):
        p.task = "classification"
    else:
        kinds = {loss.get("kind") for loss in train_losses(run)}
        if kinds and kinds <= {"classification", "binary"}:
            p.task = "classification"
        elif kinds == {"regression"}:
            p.task = "regression"


def _number(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None
