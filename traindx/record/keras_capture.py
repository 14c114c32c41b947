"""Keras 3 (torch backend) trains with its own optimisers and losses, which torch's global hooks
do not see. Under `traindx run`, once the script imports keras, `Model.fit` gets one more callback
that logs what Keras computes itself: the train loss of every batch (Keras reports running means
over the epoch; each batch's value is recovered from two consecutive means), the epoch's
validation loss and accuracy, and the learning rate; and, on the recorder's sampled steps, the
per-weight statistics torch's hooks would take (gradient and weight norms, update/weight ratio:
Keras' torch backend keeps its weights as torch tensors with their gradients). The script's own
callbacks are untouched."""
from __future__ import annotations

import sys

from . import imports
from .stats import param_stats, update_norms

_PATCHED = "_traindx_fit"


def install(recorder) -> imports.AfterImport:
    return imports.install({"keras": lambda keras: patch(keras, recorder)})


def uninstall(finder: imports.AfterImport) -> None:
    imports.uninstall(finder)
    keras = sys.modules.get("keras")
    model = getattr(keras, "Model", None)
    original = getattr(getattr(model, "fit", None), _PATCHED, None)
    if original is not None:
        model.fit = original


def patch(keras, recorder) -> None:
    """Wrap keras.Model.fit to add a TraindxKerasLogger; never raises into the script."""
    try:
        model = keras.Model
        if hasattr(model.fit, _PATCHED):
            return
        original = model.fit
        logger_cls = logger_class(keras)
        state: dict = {}  # shared by the fits of one run: the model is described once

        def fit(self, *args, **kwargs):
            callbacks = list(kwargs.get("callbacks") or [])
            if not any(getattr(c, "_traindx", False) for c in callbacks):  # the script's own does it
                callbacks.append(logger_cls(recorder, state))
            kwargs["callbacks"] = callbacks
            recorder.framework_steps = True  # Keras' optimiser is not torch.optim: it closes steps
            if kwargs.get("class_weight") is not None or kwargs.get("sample_weight") is not None:
                recorder.writer.event("loss_weights", source="keras fit")
            return original(self, *args, **kwargs)

        setattr(fit, _PATCHED, original)
        fit.__doc__ = original.__doc__
        model.fit = fit
    except Exception as exc:  # an unknown keras: nothing captured, the script runs as it is
        print(f"traindx: Keras capture disabled: {type(exc).__name__}: {exc}", file=sys.stderr)


def logger_class(keras):
    class TraindxKerasLogger(keras.callbacks.Callback):
        def __init__(self, recorder, state):
            super().__init__()
            self.recorder, self.state = recorder, state
            self.prev: dict[str, float] = {}
            self.before = None  # the weights before this batch's update, on sampled steps

        def on_epoch_begin(self, epoch, logs=None):
            self.prev = {}

        def on_train_batch_begin(self, batch, logs=None):
            self.before = None
            with self.recorder._guard("parameter statistics") as ok:
                if ok and self.recorder.schedule(self.recorder.step):
                    weights = _weights(self.model)
                    if not self.state.get("described"):
                        self.state["described"] = True
                        self.recorder.writer.event("framework", name="keras")
                        hparams = _optimizer(self.model)
                        if hparams:
                            self.recorder.writer.event("optimizer", hparams=hparams)
                        self.recorder.writer.event(
                            "model", root=type(self.model).__name__, modules=_layers(self.model),
                            param_shapes={n: list(w.shape) for n, w in weights},
                            total_params=sum(w.numel() for _, w in weights))
                    self.before = [(n, w, w.detach().clone()) for n, w in weights]

        def _param_stats(self, step):
            before, self.before = self.before, None
            with self.recorder._guard("parameter statistics") as ok:
                have = [(n, w, b) for n, w, b in before or () if w.grad is not None]
                if not ok or not have:
                    return
                names = tuple(n for n, _, _ in have)
                stats = param_stats([b for _, _, b in have], [w.grad for _, w, _ in have])
                ups = update_norms([w for _, w, _ in have], [b for _, _, b in have])
                self.recorder._param_buf.append((step, names, stats, ups))

        def on_train_batch_end(self, batch, logs=None):
            step = self.recorder.step + 1  # the run's steps are Keras' optimiser steps
            k = batch + 1
            values = {}
            for key, name in (("loss", "train_loss"), ("accuracy", "train_acc"),
                              ("sparse_categorical_accuracy", "train_acc"),
                              ("categorical_accuracy", "train_acc"), ("binary_accuracy", "train_acc")):
                mean = _number((logs or {}).get(key))
                if mean is None or name in values:
                    continue
                before = self.prev.get(key)
                values[name] = mean if before is None or k == 1 else k * mean - (k - 1) * before
                self.prev[key] = mean
            if values:
                self.recorder.log(step=step, **values)
            if self.before:
                self._param_stats(step)
            # close the step as an optimiser step would: the model's input and activation
            # statistics that torch's forward hooks took on Keras' layers (torch modules)
            with self.recorder._guard("step") as ok:
                if ok:
                    self.recorder._end_step(None)

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            values = {}
            for key, name in (("val_loss", "eval_loss"), ("val_accuracy", "eval_acc"),
                              ("val_sparse_categorical_accuracy", "eval_acc"),
                              ("val_binary_accuracy", "eval_acc"), ("learning_rate", "lr")):
                v = _number(logs.get(key))
                if v is not None and name not in values:
                    values[name] = v
            if values:
                self.recorder.log(step=self.recorder.step, **values)

    return TraindxKerasLogger


KERAS_ACTIVATIONS = {"relu": "ReLU", "relu6": "ReLU6", "leaky_relu": "LeakyReLU", "elu": "ELU",
                     "selu": "SELU", "gelu": "GELU", "silu": "SiLU", "swish": "SiLU", "mish": "Mish",
                     "tanh": "Tanh", "sigmoid": "Sigmoid", "hard_sigmoid": "Hardsigmoid"}


def is_keras(obj) -> bool:
    """A Keras object (its layers and models are torch modules under the torch backend)."""
    return type(obj).__module__.startswith("keras")


def layer_info(layer) -> tuple[str, str, bool] | None:
    """A Keras layer met by torch's forward hooks (Keras layers are torch modules, but not
    registered as a Keras model's submodules): its name as in the model event, the kind of its
    output — after its built-in activation: a Dense(activation="tanh") outputs tanh values — and
    whether it is a leaf. None for anything that is not a Keras layer."""
    if not is_keras(layer):
        return None
    name = str(getattr(layer, "path", None) or getattr(layer, "name", type(layer).__name__)).replace("/", ".")
    act = getattr(getattr(layer, "activation", None), "__name__", None)
    return name, KERAS_ACTIVATIONS.get(act, type(layer).__name__), not getattr(layer, "_layers", None)


def _optimizer(model) -> dict:
    """Keras' optimiser as the run's optimizer event: its class, lr and the settings the run
    profile reads (momentum, weight decay, Keras' own clipping: clipnorm / global_clipnorm /
    clipvalue); {} when it cannot be read."""
    try:
        opt = model.optimizer
        config = opt.get_config()
        hp = {"type": type(opt).__name__, "lr": _number(config.get("learning_rate"))}
        for key in ("momentum", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue"):
            if _number(config.get(key)) is not None:
                hp[key] = _number(config[key])
        return hp
    except Exception:
        return {}


def _layers(model) -> list[dict]:
    """Keras' layers as the model event's modules ("Dense", "Conv2D", "LayerNormalization"), each
    built-in activation as a module of torch's name after its layer ("ReLU"): what the run
    profile reads to know the architecture. Never raises (an odd model: fewer modules)."""
    out = []
    try:
        for layer in getattr(model, "layers", []):
            name = str(getattr(layer, "path", None) or layer.name).replace("/", ".")
            out.append({"name": name, "type": type(layer).__name__, "params": int(layer.count_params())})
            act = getattr(getattr(layer, "activation", None), "__name__", None)
            if act in KERAS_ACTIVATIONS:
                out.append({"name": f"{name}.activation", "type": KERAS_ACTIVATIONS[act], "params": 0})
    except Exception:
        pass
    return out


def _weights(model) -> list:
    """(name, torch tensor) of the model's trainable weights: "dense_1.kernel"."""
    out = []
    for v in model.trainable_weights:
        value = getattr(v, "value", None)
        if value is not None and hasattr(value, "grad"):
            out.append((str(getattr(v, "path", None) or v.name).replace("/", "."), value))
    return out


def _number(value) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v
