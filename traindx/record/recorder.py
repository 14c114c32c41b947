"""The recorder: global torch hooks that watch any training without changing it.

Hot path (every step): the loss wrapper appends a detached 0-d tensor, the primary optimiser's
pre-hook takes one fused global gradient norm, the post-hook closes the step. Sampled steps (see
Schedule) add per-parameter and per-module statistics, computed on the tensors' device. Nothing
moves to the host until `flush()`, which runs every `flush_every` steps or `flush_seconds`, one
batched transfer per kind.

Every hook body runs under `_guard`: an exception disables that part of the recorder with one
warning and the training goes on.
"""
from __future__ import annotations

import dataclasses
import json
import math
import re
import sys
import threading
import time
import warnings
import weakref
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch
import torch.optim.optimizer as optim_hooks
from torch.nn.modules import module as module_hooks
from torch.nn.parameter import is_lazy

from . import capture, keras_capture, labels, manual, splits
from .functional import FunctionalActivations, HandMadeLayers
from .sample import DataSample
from .kinds import ACTIVATIONS, COMPUTE, HARD_ZERO
from .names import classify
from .schedule import Schedule
from .stats import (ACT_STATS, INPUT_STATS, PARAM_STATS, activation_raw, finish_activation_stats, global_norm,
                    input_stats, param_stats, update_norms, weight_sample, whole_batch)
from .writer import SCHEMA, RunWriter, launch_env

# the layers whose input is the data's scale that matters (their weights multiply it)
WEIGHT_LAYERS = (torch.nn.Linear, torch.nn.modules.conv._ConvNd)

_active: list["Recorder"] = []
STOP_CHECK = 8  # steps between two reads of the stop file when several ranks record
STOP_FILE = "stop.json"


class StopTraining(KeyboardInterrupt):
    """Raised from an optimiser step when traindx stops the run (--stop-on, or a callback's
    stop_on): a KeyboardInterrupt, so that frameworks shut down as after Ctrl-C and a script's
    `except Exception` does not swallow it; a script may catch it by name to clean up."""

    def __init__(self, step: int, why: str):
        super().__init__(f"stopped by traindx at step {step}: {why}")
        self.step, self.why = step, why
MAX_PENDING_LOSSES = 512  # losses seen without an optimiser step are averaged beyond this
UNOPTIMISED_AT = 10  # the step at which parameters no optimiser updates are looked for (see _note_unoptimised)
MAX_STEP = 2 ** 62  # steps a reader keeps (int64 with room); traindx.log refuses larger ones


def active() -> "Recorder | None":
    return _active[0] if _active else None


PARAMETRIZED = re.compile(r"(^|\.)parametrizations\.(\w+)\.original$")


def _kind(m: torch.nn.Module) -> str:
    """A module's type name; a parametrized layer's is its own (torch makes `ParametrizedLinear`)."""
    name = type(m).__name__
    prefix = "Parametrized"
    return name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name


class Recorder:
    def __init__(self, out: str | Path, *, every: int | None = None, flush_every: int = 200,
                 flush_seconds: float = 5.0, meta: dict | None = None, models: list | None = None):
        rank, world = launch_env()
        self.rank, self.writer_world = rank, world
        self.writer = RunWriter(Path(out), rank=rank, world_size=world)
        self.schedule = Schedule(every=every) if every else Schedule()
        self.flush_every, self.flush_seconds = flush_every, flush_seconds
        self.step = 0  # completed steps of the primary optimiser
        self._meta = dict(meta or {})
        self._disabled: set[str] = set()
        self._handles: list = []
        self._forward_handles: list = []
        self._primary: weakref.ref | None = None  # the optimiser whose steps are the run's steps
        self._primary_params: dict[int, weakref.ref] = {}  # the tensors it updates, weakly held
        self._last_other: int | None = None  # id of the last non-primary optimiser to step
        self._alternating = False  # another optimiser steps between the primary's steps (a GAN)
        self._objectives_noted = False
        self._optimizers: weakref.WeakSet = weakref.WeakSet()  # seen (weak: may be re-created)
        self._unmeasured: dict[str, str] = {}  # leaf module -> output type it had (not measured)
        self._unmeasured_written = 0
        # module naming: id(module) -> (name, type name, is_leaf)
        self._names: dict[int, tuple[str, str, bool]] = {}
        self._param_names: dict[int, str] = {}
        self._described_at = -1  # the step at which the models were last described again
        self.matrices: set[str] = set()  # parameters that are weight matrices/filters (ndim >= 2)
        self._roots: list = []
        self._lazy_roots: list = []  # models with parameters not materialised yet (nn.LazyLinear)
        self._trained: tuple = (None, [])  # (primary's weakref, len(roots)) -> the roots it trains
        # forwards nest per thread: trainings in threads each have their own depth (as torch's
        # stack of modes, where a measuring mode lives, is one per thread)
        self._per_thread = threading.local()
        # a model with no activation modules: its tanh/sigmoid calls are seen during a sampled
        # training forward (record/functional.py), named after the compute layer that ran before
        self._functional_roots: set[int] = set()
        self._first_fan_in: dict[int, tuple[int, int]] = {}  # root -> (feature dim, its first layer's width)
        # with ReLU modules the dead-unit check reads them, not the layers before them: those then
        # take their statistics on a sample of the batch (no whole-batch per-unit max and min)
        self._relu_modules = False
        self._functional: FunctionalActivations | None = None
        self._functional_thread: int | None = None  # the thread whose mode stack holds it
        self._sample = DataSample()  # training rows for the capacity probe (record/sample.py)
        self._last_compute: str | None = None
        # per-step state (device tensors)
        self._pending_loss: list[torch.Tensor] = []
        self._backward_loss: list[torch.Tensor] = []  # what backward() ran on: a hand-written loss
        self._backwards = 0  # backward passes seen: with no step ever, a model that never updated
        self._closure_cut: tuple | None = None  # see _measured_closure
        self._bad_backwards: torch.Tensor | None = None  # non-finite losses backward ran on, before any step
        self._backward_noted = False
        self._pending_correct: torch.Tensor | None = None
        self._pending_count = 0
        self._pending_clip: torch.Tensor | None = None
        self._pending_gnorm: torch.Tensor | None = None  # global grad norm of the step being taken
        self._clip_after: tuple | None = None  # this step's clip_grad_norm_: what its norm after is
        self._eval: dict[str, Any] | None = None
        self._acts: dict[str, tuple[torch.Tensor, tuple[int, int]]] = {}  # activation_raw's
        self._act_kinds: dict[str, str] = {}
        self._kinds_written: dict[str, str] = {}  # activation kinds already in events.jsonl
        self._input: torch.Tensor | None = None
        # the model input's shape while its first weight layer has not run yet in this forward
        # (what that layer receives is measured when it has the same shape: the model may
        # normalise its input itself, `(x - self.mean) / self.std` in forward, a running norm)
        self._first_layer_due: tuple | None = None
        self._hand_input_open = False  # this step's raw-tensor model input is still being chosen
        self._before: dict[int, list[torch.Tensor]] = {}
        # buffers until flush: lists of (step, device tensor)
        self._buf: dict[str, list[tuple[int, Any]]] = {}
        self._param_buf: list[tuple[int, tuple[str, ...], torch.Tensor, torch.Tensor | None]] = []
        self._act_buf: list[tuple[int, tuple[str, ...], torch.Tensor, list]] = []
        self._labels = labels.LabelCounts()
        self._last_flush = time.monotonic()
        self._since_flush = 0
        self._models = list(models or [])
        self._user_keys: set[str] = set()  # metrics the script logs or prints itself
        self._captured_keys: set[str] = set()  # metrics capture has written (a take-over voids them)
        # printed metric -> the step it was first printed at, and the evaluations closed by then
        self._printed_first: dict[str, tuple[int, int]] = {}
        self._printed_times: dict[str, int] = {}  # printed metric -> how many times it was printed
        self._evals_closed = 0  # evaluation phases ended so far
        self._logged_keys: set[str] = set()  # ... through traindx.log / w.log (win over printed ones)
        self._printed: dict[str, list[tuple[int, float]]] = {}  # read off the script's stdout
        # printed errors read as a split's loss (val_mae under an L1 objective), until one is seen
        # on another scale than the loss captured in the same evaluation (in the targets' own units)
        self._printed_errors: set[str] = set()
        self._foreign_units: set[str] = set()
        # closed evaluation phases until flush: (step, mixed loss, acc, per-call losses, batch sizes,
        # per-call target ranges)
        self._phase_buf: list[tuple] = []
        self._splits = splits.SplitTracker()
        self._manual = manual.ManualSteps(self)  # a loop with no torch.optim (see manual.py)
        self.framework_steps = False  # set by a capture that closes steps itself (Keras' fit)
        self._loss_seen = self._clip_seen = False  # capture measured a train loss / a clip
        self._loss_names: set[tuple[str, bool]] = set()
        self._spawn_noted = False
        # objects with on_flush(recorder, window): checks on the host data a flush moved (live.py)
        self.listeners: list = []
        self._stop: tuple[int, str] | None = None  # (step to stop at, why): see request_stop
        self._stop_file: Path | None = None  # several ranks: the step they all stop at (torchrun)
        # several trainings in threads of one process: the run follows the thread of the first
        # optimiser step (its steps, losses and activations); the others are named in a note
        self._thread: int | None = None
        self._other_threads: set[int] = set()
        self._other_lock = threading.Lock()

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> "Recorder":
        self.writer.event("start", traindx_run_schema=SCHEMA, time=time.time(), rank=self.rank,
                          argv=list(sys.argv), torch=torch.__version__, every=self.schedule.every,
                          functional_relu=True, **self._meta)
        _active[:] = [self]
        # torch warns that global hooks also fire for torch.compile's wrapper; they are ours, not
        # the user's business, and the duplicate call is ignored (see _post_forward).
        warnings.filterwarnings("ignore", message=r"Using `torch.compile\(module\)` when there are global hooks")
        capture.install(self)
        self._handles = [
            optim_hooks.register_optimizer_step_pre_hook(self._pre_step),
            optim_hooks.register_optimizer_step_post_hook(self._post_step),
        ]
        for m in self._models:
            self._add_root(m)
        self._set_forward_hooks(True)
        return self

    @property
    def stop_reason(self) -> str | None:
        """Why traindx stopped the training (request_stop), or None."""
        return self._stop[1] if self._stop is not None else None

    def stop(self, status: str = "completed", exit_code: int | None = None, reason: str | None = None) -> None:
        """Flush everything and write the end record. Safe to call twice."""
        if self not in _active:
            return
        self._set_forward_hooks(False)
        for h in self._handles:
            h.remove()
        self._handles = []
        capture.uninstall(self)
        _active.clear()
        if self._manual.watching:
            self._manual.finish()
            self._manual.disarm()
        with self._guard("flush") as ok:
            if ok:
                self._close_eval()
                self.flush()
        extra = {"reason": reason} if reason else {}
        if self._backwards:
            extra["backward_passes"] = self._backwards
            if not self.step and self._bad_backwards is not None:
                with self._guard("flush") as ok:
                    if ok:
                        extra["backward_passes_non_finite"] = int(self._bad_backwards.item())
        with self._guard("data sample") as ok:
            if ok and self.writer.rank == 0 and not self.writer.broken:
                self._sample.save(self.writer.path)
        self.writer.event("end", status=status, exit_code=exit_code, step=self.step, time=time.time(), **extra)
        self.writer.close()

    @contextmanager
    def paused(self):
        """Detach every hook for the duration (steps inside are neither seen nor counted); the
        overhead benchmark uses it to interleave steps with and without traindx in one process."""
        if self not in _active:
            yield
            return
        forward = bool(self._forward_handles)
        self._set_forward_hooks(False)
        for h in self._handles:
            h.remove()
        capture.uninstall(self)
        try:
            yield
        finally:
            capture.install(self)
            self._handles = [
                optim_hooks.register_optimizer_step_pre_hook(self._pre_step),
                optim_hooks.register_optimizer_step_post_hook(self._post_step),
            ]
            self._set_forward_hooks(forward)

    @contextmanager
    def _guard(self, part: str):
        """Yields whether `part` is enabled; a caller skips its work when it is not. The first
        exception disables `part` with one warning; after that nothing from it gets through."""
        if part in self._disabled:
            try:
                yield False
            except Exception:
                pass
            return
        try:
            yield True
        except Exception as exc:  # a failing hook must never kill the training
            self._disabled.add(part)
            msg = f"{part} disabled after an error: {type(exc).__name__}: {exc}"
            print(f"traindx: {msg}; training goes on", file=sys.stderr)
            self.writer.event("warning", message=msg, step=self.step)

    # ----------------------------------------------------------------- model discovery
    def add_model(self, model) -> None:
        """Name `model`'s layers and parameters after it (a callback that joins a running
        recording hands over the framework's model); a non-module is ignored."""
        if isinstance(model, torch.nn.Module):
            with self._guard("model description") as ok:
                if ok:
                    self._add_root(model)

    def _add_root(self, root: torch.nn.Module) -> None:
        if any(r is root for r in self._roots):
            return
        self._roots.append(root)
        if not any(type(m).__name__ in ACTIVATIONS for m in root.modules()):
            self._functional_roots.add(id(root))
        self._relu_modules |= any(type(m).__name__ in HARD_ZERO for m in root.modules())
        self._describe(root, "" if len(self._roots) == 1 else f"model{len(self._roots)}.")

    def _describe(self, root: torch.nn.Module, prefix: str, again: bool = False) -> None:
        """Name the layers and parameters of `root` not named yet, and write them down: all of
        them when it is new, those added since when it is described again."""
        modules = []
        for name, m in root.named_modules():
            if id(m) in self._names:
                continue
            full = (prefix + name) if name else (prefix.rstrip(".") or type(m).__name__)
            # a parametrized layer is still a leaf (its only child holds the parametrizations),
            # and what those compute is its weight, not a layer of the model
            leaf = all(n == "parametrizations" for n, _ in m.named_children()) and \
                "parametrizations." not in full
            self._names[id(m)] = (full, _kind(m), leaf)
            if leaf:
                n_params = sum(_numel(p) for p in m.parameters(recurse=False))
                modules.append({"name": full, "type": _kind(m), "params": n_params})
        shapes = {}
        for name, p in root.named_parameters():
            if id(p) in self._param_names:
                continue  # named by an earlier root (a layer called on its own before its model)
            # a parametrized weight (spectral_norm, orthogonal, one of the script's own) by the
            # name the model reads it under: `fc.parametrizations.weight.original` is `fc.weight`
            name = PARAMETRIZED.sub(r"\1\2", name)
            self._param_names[id(p)] = prefix + name
            if not is_lazy(p) and p.dim() >= 2:
                self.matrices.add(prefix + name)
            if not self.framework_steps:  # Keras' capture describes its weights by their Keras names
                shapes[prefix + name] = [] if is_lazy(p) else list(p.shape)
        if modules or shapes or not again:
            self.writer.event("model", root=type(root).__name__, modules=modules, param_shapes=shapes,
                              total_params=sum(_numel(p) for p in root.parameters()))
        if not again and any(is_lazy(p) for p in root.parameters()):
            self._lazy_roots.append(root)

    def _describe_materialised(self) -> None:
        """Lazy modules (nn.LazyLinear: d2l's layers) get their shapes, and their final types, in
        their first forward: their models are described again once it is over."""
        done = [r for r in self._lazy_roots if not any(is_lazy(p) for p in r.parameters())]
        self._lazy_roots = [r for r in self._lazy_roots if all(r is not d for d in done)]
        for root in done:
            modules = []
            for m in root.modules():
                full, _, leaf = self._names.get(id(m), (None, None, False))
                if full is not None and leaf:
                    self._names[id(m)] = (full, _kind(m), leaf)
                    modules.append({"name": full, "type": _kind(m),
                                    "params": sum(p.numel() for p in m.parameters(recurse=False))})
            shapes = {self._param_names[id(p)]: list(p.shape) for p in root.parameters()
                      if id(p) in self._param_names}
            self.matrices |= {name for name, shape in shapes.items() if len(shape) >= 2}
            self.writer.event("materialised", modules=modules,
                              param_shapes={} if self.framework_steps else shapes)

    def _set_forward_hooks(self, on: bool) -> None:
        if on and not self._forward_handles and "activations" not in self._disabled:
            self._forward_handles = [
                module_hooks.register_module_forward_pre_hook(self._pre_forward),
                module_hooks.register_module_forward_hook(self._post_forward, always_call=True),
            ]
        elif not on and self._forward_handles:
            for h in self._forward_handles:
                h.remove()
            self._forward_handles = []
            self._depth = 0
            self._end_functional()

    @property
    def _depth(self) -> int:
        return getattr(self._per_thread, "depth", 0)

    @_depth.setter
    def _depth(self, value: int) -> None:
        self._per_thread.depth = value

    def _foreign_thread(self) -> bool:
        """Whether this call comes from a thread other than the one the run follows (see _other_thread)."""
        return self._thread is not None and threading.get_ident() != self._thread

    def _training_forward(self) -> bool:
        return torch.is_grad_enabled() and not torch.is_inference_mode_enabled()

    def _pre_forward(self, module, args) -> None:
        self._depth += 1
        if self._depth != 1:
            return
        with self._guard("activations") as ok:
            if not ok:
                return
            # a Keras model or layer is no root: the Keras logger describes the model, and its
            # layers are named when they run inside it (keras_capture.layer_info)
            # (nor a parametrization's list, called when its weight is read outside a forward:
            # it would name the weight `original`, and the model after it `model2`)
            if id(module) not in self._names and not isinstance(module, torch.nn.modules.loss._Loss) \
                    and not keras_capture.is_keras(module) and type(module).__name__ != "ParametrizationList":
                self._add_root(module)
            self._last_compute = None  # (which layer fed an activation: within one forward)
            if id(module) in self._functional_roots and module.training and self._training_forward() \
                    and self._functional is None and not self._foreign_thread():
                self._enter_functional(FunctionalActivations(self._on_functional))
            due = self._input is None and self._input_due()
            x = self._data_input(module, args) if due else None
            if not self._sample.full and module.training and self._training_forward() and \
                    self.schedule(self.step) and not self._foreign_thread() and \
                    not isinstance(module, torch.nn.modules.loss._Loss):
                with self._guard("data sample") as sampling:
                    if sampling:
                        self._sample.offer_input(x if due else self._data_input(module, args))
            # the model's input, not a loss module's (its input is the model's output)
            if (due and isinstance(x, torch.Tensor)
                    and not isinstance(module, torch.nn.modules.loss._Loss)
                    and x.is_floating_point() and not capture.transformed(x)
                    and module.training and self._training_forward()):
                self._input = input_stats(x)
                self._first_layer_due = tuple(x.shape)

    def _data_input(self, module, args):
        """The model's data input: its first argument, or, when it takes several float tensors (a
        GCN's `forward(A_hat, X)`), the one whose features fit its first weight layer."""
        floats = [a for a in args if isinstance(a, torch.Tensor) and a.is_floating_point() and a.dim() >= 2]
        if len(floats) < 2:
            return args[0] if args else None
        fan_in = self._first_fan_in.get(id(module))
        if fan_in is None:
            layer = next((m for m in module.modules()
                          if isinstance(m, (torch.nn.Linear, torch.nn.modules.conv._ConvNd))), None)
            fan_in = self._first_fan_in[id(module)] = (
                (-1, layer.in_features) if isinstance(layer, torch.nn.Linear) else
                (1, layer.in_channels) if layer is not None else (0, 0))
        dim, n = fan_in
        return next((a for a in floats if n and a.shape[dim] == n), args[0])

    def _input_due(self) -> bool:
        """The data's scale does not change during training: its statistics are taken in the
        dense start and then on every 10th sampled step."""
        return self.schedule.dense_at(self.step) or self.step % (10 * max(self.schedule.every, 1)) == 0

    def _post_forward(self, module, args, output) -> None:
        self._depth = max(self._depth - 1, 0)
        if self._depth == 0:
            self._end_functional()
            if self._lazy_roots:
                with self._guard("model description") as ok:
                    if ok:
                        self._describe_materialised()
        info = self._names.get(id(module))
        if info is None and self._depth:  # inside a model's forward: a Keras layer is named late
            info = keras_capture.layer_info(module)
            if info is not None:
                self._names[id(module)] = info
        if info is None or not info[2] or not (module.training and self._training_forward()):
            return  # (nor a parametrization's: its output is a weight, and it is no leaf)
        if self._foreign_thread():
            return
        name, kind, _ = info
        if self._first_layer_due is not None and isinstance(module, WEIGHT_LAYERS):
            self._measure_first_layer_input(args)
        if isinstance(module, torch.nn.RNNBase):
            output = _hidden_states(module, output)
            if output is None:
                return
        elif isinstance(output, torch.Tensor) and output.dim() > 2 and keras_capture.is_keras(module):
            output = output.movedim(-1, 1)  # Keras is channels-last: units along dim 1, as torch's
        if not isinstance(output, torch.Tensor) or not output.is_floating_point():
            if name not in self._unmeasured:  # said once, in the run's notes
                self._unmeasured[name] = (f"{output.dtype}".replace("torch.", "") if
                                          isinstance(output, torch.Tensor) else type(output).__name__)
            return
        if output.numel() == 0 or capture.transformed(output):
            return  # (inside vmap: per-sample tensors that cannot be stacked with the batch's)
        if name in self._acts:
            # one activation module applied after several layers (`self.act = nn.ReLU()`): each
            # later call is its own column, named after the layer that fed it (`fc2.act`); a
            # module called again in a loop (time steps) is measured once
            if kind not in ACTIVATIONS or self._last_compute is None:
                return
            name = f"{self._last_compute}.{name}"
            if name in self._acts:
                return
        with self._guard("activations") as ok:
            if not ok:
                return
            self._acts[name] = activation_raw(output, kind, whole_batch(kind, self._relu_modules))
            self._act_kinds[name] = kind
            if kind in COMPUTE:
                self._last_compute = name

    def _measure_first_layer_input(self, args) -> None:
        """The input of the forward's first weight layer, appended to the model input's statistics
        when it has the model input's shape (the same data, maybe normalised inside the model)."""
        shape, self._first_layer_due = self._first_layer_due, None
        x = args[0] if args else None
        if self._input is None or not isinstance(x, torch.Tensor) or tuple(x.shape) != shape or \
                not x.is_floating_point() or capture.transformed(x):
            return
        with self._guard("activations") as ok:
            if ok:
                self._input = torch.cat([self._input, input_stats(x)])

    def _on_functional(self, kind: str, output: torch.Tensor) -> None:
        """A tanh/sigmoid called as a function: its output measured as the activation of the
        compute layer that ran last (`fc1.tanh`), once per step (a loop over time steps repeats it).
        One before any layer ran (a loss module's sigmoid of the logits) is not a hidden activation."""
        if self._last_compute is None or not (self._training_forward() and output.is_floating_point()
                                              and output.numel()) or capture.transformed(output):
            return
        if self._foreign_thread():
            return
        self._measure_once(f"{self._last_compute}.{kind}", kind, output)

    def _measure_once(self, name: str, kind: str, output: torch.Tensor) -> None:
        """An activation seen outside module hooks, measured the first time it runs in a step."""
        if name in self._acts or capture.transformed(output):
            return
        with self._guard("activations") as ok:
            if ok:
                self._acts[name] = activation_raw(output, kind)
                self._act_kinds[name] = kind

    def start_hand_made(self, weights: dict[int, str],
                        shapes: dict[tuple, list[str]] | None = None) -> None:
        """The next training forward of a model made of raw tensors (a sampled step of a loop that
        updates by hand): its layers' activations are measured until its loss (end_hand_made)."""
        if self._functional is None and "activations" not in self._disabled:
            with self._guard("activations") as ok:
                if ok:
                    self._enter_functional(HandMadeLayers(weights, self._on_hand_made, shapes,
                                                          self._on_hand_made_input))

    def _on_hand_made(self, name: str, kind: str, output: torch.Tensor) -> None:
        if not output.is_floating_point() or not output.numel():
            return
        if self._foreign_thread():
            return
        self._measure_once(name, kind, output)

    def _on_hand_made_input(self, x: torch.Tensor) -> None:
        """A tensor a raw-tensor model's first layers multiply that needs no gradient: its input,
        or a recurrence's initial state (zeros) before it. The one of widest spread is kept (on
        the device: no sync)."""
        if x.dim() < 2 or capture.transformed(x) or not (self._hand_input_open or self._input is None):
            return
        if self._input is None and not self._input_due():
            return
        with self._guard("activations") as ok:
            if ok:
                stats = input_stats(x)
                self._input = stats if self._input is None else torch.where(
                    stats[1] > self._input[1], stats, self._input)
                self._hand_input_open = True

    def end_hand_made(self) -> None:
        if isinstance(self._functional, HandMadeLayers):
            self._end_functional()

    def _enter_functional(self, mode) -> None:
        mode.__enter__()
        self._functional, self._functional_thread = mode, threading.get_ident()

    def _end_functional(self) -> None:
        """Leave the measuring mode, from the thread that entered it (only its stack holds it)."""
        if self._functional is not None and self._functional_thread == threading.get_ident():
            mode, self._functional = self._functional, None
            with self._guard("activations") as ok:
                if ok:
                    mode.__exit__(None, None, None)

    # ----------------------------------------------------------------- losses
    def _is_train_loss(self, out: torch.Tensor) -> bool:
        if not (self._training_forward() and out.requires_grad):
            return False
        # the mode of the model being trained: not a teacher's, nor that of a model trained before
        # it and left in eval mode (a fine-tune's new model after its pre-training's evaluation)
        roots = self._trained_roots() or self._roots[:1]
        return not roots or any(r.training for r in roots)

    def _trained_roots(self) -> list:
        """The models with a parameter that the primary optimiser updates."""
        key = (self._primary, len(self._roots))
        if self._trained[0] != key:
            held = self._primary_params
            self._trained = (key, [r for r in self._roots
                                   if any(id(p) in held for p in r.parameters())])
        return self._trained[1]

    def on_backward(self, loss, by_value: bool = False) -> None:
        """A backward pass starts from `loss` (Tensor.backward, or torch.autograd.grad: `by_value`):
        the step's objective, kept for a step in which no loss function was called (a loss written
        by hand: ((pred - y) ** 2).mean())."""
        self._backwards += 1
        if not self.step and isinstance(loss, torch.Tensor) and loss.is_floating_point():
            # before any step: whether the backward passes start from NaN/Inf (a GradScaler then
            # skips every step), counted on the device, read once at the end
            with self._guard("loss capture") as ok:
                if ok:
                    bad = (~torch.isfinite(loss.detach())).any()
                    self._bad_backwards = bad.long() if self._bad_backwards is None else self._bad_backwards + bad
        # the forward of a raw-tensor model is over (ended here, in the outer call: a loss
        # function's wrapper runs inside the measuring mode's own dispatch, where it cannot be left)
        self.end_hand_made()
        mine = not self._foreign_thread()
        if mine and self._manual.stale_for(by_value) and self._primary is None and \
                isinstance(loss, torch.Tensor):
            with self._guard("manual steps") as ok:
                if ok:  # a gradient check's leaves came first: this backward is the training's
                    self._manual.rearm()
                    self._arm_manual(loss)
        if self._pending_loss or self.framework_steps:
            return  # a loss function was seen this step (the usual case): nothing to keep
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1 or not loss.is_floating_point() \
                or loss.device.type == "meta":
            return
        if self._foreign_thread():
            return
        if self._manual.watching:  # the last hand-made update is done: its step closes first
            self._manual.before_loss()
        with self._guard("loss capture") as ok:
            if ok and len(self._backward_loss) < MAX_PENDING_LOSSES:
                self._backward_loss.append(loss.detach().float().reshape(()))
            if ok and not self._manual.armed and self._primary is None:
                self._arm_manual(loss)  # (a loop that updates by hand: its first backward)

    def _arm_manual(self, loss: torch.Tensor) -> None:
        """Watch `loss`'s leaves as a loop that updates by hand — unless an optimiser has stepped
        meanwhile in another thread (checked under the lock its claim takes: a thread that armed
        after another's first step counted its own backward passes as the run's steps)."""
        with self._other_lock:
            if self._thread is None:
                self._manual.arm(loss)

    def after_backward(self) -> None:
        """Tensor.backward returned (see ManualSteps.backward_returned)."""
        if self._manual.watching:
            with self._guard("manual steps") as ok:
                if ok:
                    self._manual.backward_returned()

    def on_grad_values(self, outputs, inputs, grads, create_graph: bool) -> None:
        """torch.autograd.grad returned `grads` for `inputs`: in a loop with no optimiser, that
        is its backward pass. (With an optimiser it counts the steps; a graph kept for higher
        derivatives is a penalty term or an inner loop, not the step's gradients.)"""
        if self._primary is not None or self.framework_steps or create_graph:
            return
        if self._foreign_thread():
            return
        leaves = [inputs] if isinstance(inputs, torch.Tensor) else list(inputs)
        outs = [outputs] if isinstance(outputs, torch.Tensor) else list(outputs)
        if len(outs) != 1 or not leaves or not all(isinstance(t, torch.Tensor) and t.is_leaf for t in leaves):
            return
        self.on_backward(outs[0], by_value=True)
        self._manual.take_grads(leaves, list(grads))

    def on_loss(self, name: str, out, inp, target, kwargs: dict) -> None:
        if not isinstance(out, torch.Tensor) or not out.is_floating_point() or out.numel() == 0:
            return
        if out.device.type == "meta":  # a shape-only pass (Keras builds its graph so): no data
            return
        if self._foreign_thread():
            return  # another thread's training (see _other_thread)
        with self._guard("loss capture") as ok:
            if not ok:
                return
            value = out.detach().float()
            value = value.mean() if value.dim() else value
            n = int(inp.shape[0]) if isinstance(inp, torch.Tensor) and inp.dim() else 1
            if kwargs.get("reduction") == "sum" and isinstance(target, torch.Tensor):
                value = value / max(target.numel(), 1)
            train = self._is_train_loss(out)
            self._loss_seen = self._loss_seen or train
            if train and not self._sample.full:
                with self._guard("data sample") as sampling:
                    if sampling:
                        self._sample.offer_target(name, inp, target)
            if (name, train) not in self._loss_names:  # which loss functions: the task, once each
                self._loss_names.add((name, train))
                dtype = str(inp.dtype).replace("torch.", "") if isinstance(inp, torch.Tensor) else None
                squashed = capture.squashed_input(name, inp) if train else None
                # a loss summed over the batch: every gradient is that many times a mean's
                summed = int(target.numel()) if kwargs.get("reduction") == "sum" and \
                    isinstance(target, torch.Tensor) else None
                # the class count, which label counts do not keep beyond MAX_LABEL_CLASSES (a
                # language model's vocabulary)
                classes = int(inp.shape[1]) if capture.kind(name) == "classification" and \
                    isinstance(inp, torch.Tensor) and inp.dim() >= 2 else None
                self.writer.event("loss", name=name, loss_kind=capture.kind(name), train=train,
                                  input_dtype=dtype,  # float16 logits: mixed precision
                                  weighted=any(kwargs.get(k) is not None for k in ("weight", "pos_weight")),
                                  **({"squashed": squashed} if squashed else {}),
                                  **({"summed": summed} if summed else {}),
                                  **({"classes": classes} if classes else {}))
            if not train and self._eval is None:  # a new evaluation pass: its own label counts
                self._labels.new_eval_pass()
            # train accuracy and label counts on sampled steps only: an argmax over the logits
            # every step costs real time on large outputs (language models); eval passes: always
            acc = self._accuracy(name, inp, target, kwargs, train) \
                if not train or self.schedule(self.step) else None
            if train and name == "mse_loss" and self.schedule(self.step):
                spread = _target_variance(inp, target)
                if spread is not None:
                    self._buffer("target_var", spread)
                    # (the squared error of predicting 0: what an uncommitted model starts near)
                    self._buffer("target_sq", target.detach().float().square().mean())
            # reduction="none": per-element losses the script reduces itself (a mask over patches
            # or padding, per-sample weights): their plain mean is not the objective; the train
            # loss is then what backward() runs on, and an eval pass's loss is not measured
            own_reduction = kwargs.get("reduction") == "none"
            if train:
                if self._manual.watching:
                    self._manual.before_loss()
                elif not self._manual.armed and self._primary is None and not self.framework_steps:
                    self._arm_manual(out)
                self._close_eval()
                if not own_reduction:
                    self._pending_loss.append(value)
                if len(self._pending_loss) > MAX_PENDING_LOSSES:  # no optimiser step: stay bounded
                    self._pending_loss = [torch.stack(self._pending_loss).mean()]
                if acc is not None:
                    correct, count = acc
                    self._pending_correct = correct if self._pending_correct is None else self._pending_correct + correct
                    self._pending_count += count
            elif not own_reduction:
                ev = self._eval or {"sum": torch.zeros((), device=value.device), "n": 0,
                                    "correct": None, "count": 0, "values": [], "weights": [],
                                    "targets": [], "accs": []}
                ev["sum"] = ev["sum"] + value * n
                ev["n"] += n
                if ev["values"] is not None:  # per-call losses: is the phase several splits in turn?
                    if len(ev["values"]) < splits.MAX_CALLS:
                        ev["values"].append(value)
                        ev["weights"].append(n)
                        ev["targets"].append(_target_range(target))
                        ev["accs"].append(acc)  # (correct count tensor, count) or None
                    else:  # too long to keep: not segmented (said in the run's notes)
                        ev["values"] = ev["weights"] = ev["targets"] = ev["accs"] = None
                if acc is not None:
                    ev["correct"] = acc[0] if ev["correct"] is None else ev["correct"] + acc[0]
                    ev["count"] += acc[1]
                self._eval = ev

    def _accuracy(self, name, inp, target, kwargs, train):
        """(correct count tensor, count) for classification losses; also adds the label counts."""
        found = labels.predictions(name, inp, target, kwargs)
        if found is None:
            return None
        pred, truth, valid, n_classes, per_class = found
        if per_class:
            self._labels.add("train" if train else "eval", truth, pred, n_classes, valid)
            # one label per sample (not per token or pixel): how the batches mix the classes
            if train and truth.dim() and truth.numel() == truth.shape[0]:
                purity, size = labels.batch_makeup(truth, valid, n_classes)
                self._buffer("batch_purity", purity)
                self._buffer("batch_labels", size)
        # the labelled targets only: those at the loss's ignore_index (-100 for padding, 255 for a
        # segmentation's void band) are no prediction (a device count: no sync)
        count = valid.sum() if valid is not None else int(truth.numel())
        return labels.correct_count(pred, truth, valid), count

    def _close_eval(self) -> None:
        """End an evaluation phase. Whether it is written as eval_loss/eval_acc or as one series per
        data split is decided at flush, on the host (see splits.py)."""
        ev, self._eval = self._eval, None
        if not ev or ev["n"] == 0:
            return
        acc = _share(ev["correct"], ev["count"]) if ev["correct"] is not None else None
        self._evals_closed += 1
        self._phase_buf.append((self.step, ev["sum"] / ev["n"], acc, ev["values"], ev["weights"],
                                ev["targets"], ev["accs"]))
        if len(self._phase_buf) >= 256:  # evaluations without optimiser steps: stay bounded
            self._flush_safely()

    def note_spawned(self, nprocs) -> None:
        """The script trains in processes started by torch.multiprocessing.spawn: not recorded."""
        if self._spawn_noted:
            return
        self._spawn_noted = True
        n = f"{nprocs} " if isinstance(nprocs, int) else ""
        self.writer.event("note", step=self.step, message=(
            f"the script trains in {n}processes started by torch.multiprocessing.spawn, which "
            "traindx does not record (it records the process it runs); launch with "
            "`torchrun ... -m traindx run SCRIPT` to record every rank"))

    def on_clip(self, total, params=None, max_norm=None, norm_type=None) -> None:
        if not isinstance(total, torch.Tensor):
            return
        total = total.detach()
        number = isinstance(max_norm, (int, float)) and not isinstance(max_norm, bool)
        # clip_grad_norm_(params, inf) is the idiom for measuring the norm: nothing is clipped
        clips = not (number and math.isinf(max_norm))
        if self._manual.confirmed and not self._manual.in_backward:
            # a hand-made update closes its step when the backward ends: this clip belongs to
            # the step just closed, whose global norm (taken before the clip) it replaces
            if clips and number:
                self._buffer("grad_norm_preclip", total)
                self._replace_last("grad_norm", total * torch.clamp(max_norm / (total + 1e-6), max=1.0))
                self._clip_seen = True
            return
        if clips:
            self._pending_clip = total
            self._clip_seen = True
        # a 2-norm clip knows the norm after it: min(total, max_norm), as clip_grad_norm_
        # scales; the step's global norm then costs no pass over the gradients
        grads = [id(p.grad) for p in params or () if p.grad is not None]
        if grads and norm_type in (None, 2, 2.0) and number:
            self._clip_after = (self.step, len(grads), sum(grads), float(max_norm), total)


    # ----------------------------------------------------------------- optimiser steps
    def _params_with_grads(self, opt) -> list[torch.Tensor]:
        return [p for g in opt.param_groups for p in g["params"] if p.grad is not None]

    def _track_optimizer(self, opt) -> None:
        """Note a new optimiser, and choose the primary one (its steps are the run's steps): the
        first to step, until it is dropped or another optimiser steps twice without it in between
        (a fresh optimiser per epoch, a second training phase). GAN-style alternation keeps it."""
        if opt not in self._optimizers:
            self._optimizers.add(opt)
            hp = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
            self.writer.event("optimizer", hparams={"type": type(opt).__name__, **hp})
        primary = self._primary() if self._primary is not None else None
        if primary is None or (opt is not primary and self._last_other == id(opt)):
            params = [p for g in opt.param_groups for p in g["params"]]
            held = self._primary_params  # id -> weak reference (a freed tensor's id may be reused)
            same = len(params) == len(held) and all(id(p) in held and held[id(p)]() is p for p in params)
            if self._primary is not None and self.step and not same:
                # another model, or the same with a new head: a new training (a student after its
                # teacher, fine-tuning after pre-training, the next fold); a fresh optimiser over
                # the same parameters continues the one before (the one before may be gone)
                hp = {k: v for k, v in opt.param_groups[0].items() if k != "params"}
                self.writer.event("phase", step=self.step + 1, hparams={"type": type(opt).__name__, **hp})
                self._labels.counts.clear()  # the new training's classes, not the pre-training's
                # a dense start from its next step: this step's forward ran unwatched (its model,
                # new, is seen, and its parameters named, when the next forward is hooked)
                self.schedule = dataclasses.replace(self.schedule, origin=self.step + 1)
            self._primary, self._last_other = weakref.ref(opt), None
            self._primary_params = {id(p): weakref.ref(p) for p in params}
        elif opt is primary:
            self._alternating = self._alternating or self._last_other is not None
            self._last_other = None
        else:
            self._last_other = id(opt)

    @property
    def optimizer_name(self) -> str | None:
        """The class name of the optimiser whose steps are the run's steps ("AdamW")."""
        opt = self._primary() if self._primary is not None else None
        return type(opt).__name__ if opt is not None else None

    def _is_primary(self, opt) -> bool:
        return self._primary is not None and self._primary() is opt

    def _other_thread(self) -> bool:
        """Whether this call comes from a thread other than the one the run follows (said once)."""
        me = threading.get_ident()
        if self._thread is None or me == self._thread:
            return False
        with self._other_lock:  # two threads seen at once must not both write the note
            first = not self._other_threads
            self._other_threads.add(me)
        if first:
            self.writer.event("note", step=self.step, message=(
                "optimisers also step in other threads; the run follows the thread of the first "
                "optimiser step (its steps, losses and activations)"))
        return True

    def _pre_step(self, opt, args, kwargs):
        if self._thread is None:
            with self._other_lock:  # the first thread to step claims the run, atomically
                if self._thread is None:
                    self._thread = threading.get_ident()
        if self._manual.watching:  # an optimiser steps (in any thread): no loop updates by hand
            self._manual.disarm()
        if self._other_thread():
            return None
        with self._guard("step") as ok:
            if ok:
                self._track_optimizer(opt)  # decides the primary optimiser before it is asked below
        closure = kwargs.get("closure", args[1] if len(args) > 1 else None)  # args[0]: the optimiser
        if callable(closure):
            # `opt.step(closure)` (Lightning, skorch, LBFGS): the gradients of this step exist only
            # once the closure has run, inside step(); measured then, not the previous step's
            return _with_closure(args, kwargs, self._measured_closure(opt, closure))
        self._before_update(opt)
        return None

    def _measured_closure(self, opt, closure):
        done = []

        def measured(*a, **k):
            loss = closure(*a, **k)
            if not done:  # LBFGS calls it several times per step: the first call's gradients
                done.append(True)
                if self._is_primary(opt):
                    # ... and the first call's loss: the loss at the start of the step, what
                    # step() returns (LBFGS's later calls evaluate weights it already moved)
                    self._closure_cut = (len(self._pending_loss), len(self._backward_loss),
                                         self._pending_correct, self._pending_count)
                self._before_update(opt)
            return loss
        return measured

    def _before_update(self, opt) -> None:
        """The step's gradients are final, the weights not yet updated: the global gradient norm
        (every step) and, on sampled steps, per-parameter statistics and a copy of the weights."""
        stats = None
        with self._guard("parameter statistics") as ok:
            params = self._params_with_grads(opt) if ok and self.schedule(self.step) else []
            if params:
                names = tuple(self._param_name(p) for p in params)
                # the stats only the start needs (initialisation, gradient moments): dense start only
                stats = param_stats(params, [p.grad for p in params], full=self.schedule.dense_at(self.step))
                self._param_buf.append((self.step + 1, names, stats, None))
                self._before[id(opt)] = weight_sample(params)
        if self._is_primary(opt) and self.step == UNOPTIMISED_AT:
            with self._guard("model description") as ok:
                if ok:
                    self._note_unoptimised()
        if self._is_primary(opt):
            with self._guard("gradient norm") as ok:
                self._pending_gnorm = None
                if ok:  # every step: one fused norm, kept on the device until the flush
                    grads = [p.grad for g in opt.param_groups for p in g["params"]
                             if p.grad is not None and not p.grad.is_sparse]
                    # a sampled step has every gradient's norm already: no second pass (half
                    # precision excepted: its per-tensor norms are not taken in float32)
                    reuse = stats is not None and len(grads) == len(params) and \
                        all(g.dtype in (torch.float32, torch.float64) for g in grads)
                    clipped = self._clipped_norm(grads)
                    self._pending_gnorm = torch.linalg.vector_norm(stats[:, 0]) if reuse else \
                        clipped if clipped is not None else global_norm(grads)
            self._clip_after = None

    def _note_unoptimised(self) -> None:
        """Once, some steps in (every optimiser has stepped by then): the parameters of the trained
        models that get gradients but are in no optimiser's param groups. A deliberate freeze sets
        requires_grad=False; gradients computed and never applied are a param-group filter that
        matched nothing, a layer added after the optimiser was built."""
        held = {id(p) for o in list(self._optimizers) for g in o.param_groups for p in g["params"]}
        missing = [(self._param_name(p), _numel(p)) for r in self._trained_roots()
                   for p in r.parameters() if p.grad is not None and id(p) not in held]
        if missing:
            total = sum(_numel(p) for r in self._trained_roots() for p in r.parameters())
            self.writer.event("unoptimised", step=self.step, params=[n for n, _ in missing[:50]],
                              numel=sum(n for _, n in missing), total=total)

    def _clipped_norm(self, grads: list) -> torch.Tensor | None:
        """The norm after this step's clip_grad_norm_, when it clipped exactly these gradients:
        total * min(1, max_norm / (total + 1e-6)), the factor torch scales them by."""
        clip = self._clip_after
        if clip is None or not grads:
            return None
        step, n, ids, max_norm, total = clip
        # the same gradients in any order (an optimiser's groups reorder them): count and id sum
        if step != self.step or n != len(grads) or ids != sum(id(g) for g in grads):
            return None
        total = total.float()
        return total * torch.clamp(max_norm / (total + 1e-6), max=1.0)

    def _param_name(self, p) -> str:
        name = self._param_names.get(id(p))
        if name is None and self._described_at != self.step:
            # a layer attached after the model was first seen (LoRA adapters wrapped into a
            # pre-trained model, a new head): its model is described again, once a step at most
            self._described_at = self.step
            for i, root in enumerate(self._roots):
                self._describe(root, "" if i == 0 else f"model{i + 1}.", again=True)
            name = self._param_names.get(id(p))
        if name is None:
            name = self._param_names[id(p)] = f"param{len(self._param_names)}{list(p.shape)}"
        return name

    def _post_step(self, opt, args, kwargs) -> None:
        if self._foreign_thread():
            return
        with self._guard("parameter statistics") as ok:
            before = self._before.pop(id(opt), None) if ok else None
            if before is not None and self._param_buf:
                params = self._params_with_grads(opt)
                step, names, stats, _ = self._param_buf[-1]
                if len(params) == len(before):
                    self._param_buf[-1] = (step, names, stats, update_norms(params, before))
        if not self._is_primary(opt):
            return
        with self._guard("step") as ok:
            if ok:
                self._end_step(opt)

    def _end_step(self, opt) -> None:
        """Close a training step: buffer its loss, norms, lr (from `opt`), activations and input."""
        if opt is None and self._foreign_thread():
            return  # (a hand-made step closed by another thread's backward: not the run's)
        sampled = self.schedule(self.step)
        self.step += 1
        step = self.step
        cut, self._closure_cut = self._closure_cut, None
        if cut is not None:  # a closure optimiser's step: its first closure call's loss and accuracy
            n_loss, n_backward, self._pending_correct, self._pending_count = cut
            self._pending_loss = self._pending_loss[:n_loss] if n_loss else self._pending_loss
            self._backward_loss = self._backward_loss[:n_backward] if n_backward else self._backward_loss
        if self._pending_loss:
            losses = self._pending_loss
            if self._alternating and len(losses) >= 2 and not self._objectives_noted:
                # optimisers stepping in turn, each after its own loss (a GAN's discriminator and
                # generator): the mean of their losses is no one objective that should fall
                self._objectives_noted = True
                self.writer.event("separate_objectives", step=step, optimizers=len(self._optimizers),
                                  losses=len(losses))
            if "train_loss" not in self._user_keys:
                self._buffer("train_loss", losses[0] if len(losses) == 1 else torch.stack(losses).mean())
            self._pending_loss = []
        elif self._backward_loss and "train_loss" not in self._user_keys:
            if not self._backward_noted:  # no loss function: the objective is what backward ran on
                self._backward_noted = True
                self.writer.event("loss", name="backward", loss_kind="other", train=True,
                                  input_dtype=None, weighted=False)
            self._loss_seen = True
            losses = self._backward_loss
            self._buffer("train_loss", losses[0] if len(losses) == 1 else torch.stack(losses).mean())
        self._backward_loss = []
        if self._pending_correct is not None and "train_acc" not in self._user_keys:
            self._buffer("train_acc", _share(self._pending_correct, self._pending_count))
        self._pending_correct, self._pending_count = None, 0
        if self._pending_clip is not None:
            self._buffer("grad_norm_preclip", self._pending_clip)
            self._pending_clip = None
        if self._pending_gnorm is not None:
            if "grad_norm" not in self._user_keys:
                self._buffer("grad_norm", self._pending_gnorm)
            self._pending_gnorm = None
        if opt is not None:  # None: a step closed by a framework's own loop (Keras)
            self._buffer("lr", opt.param_groups[0].get("lr", float("nan")))
        if sampled and self._acts:
            names = tuple(self._acts)
            self._act_buf.append((step, names, torch.stack([self._acts[n][0] for n in names]),
                                  [self._acts[n][1] for n in names]))
        self._acts = {}
        if self._input is not None:
            self._buffer("input_stats", self._input)
            self._input = None
        self._first_layer_due = None
        self._hand_input_open = False
        self._set_forward_hooks(self.schedule(self.step))
        self._since_flush += 1
        if self._since_flush >= self.flush_every or time.monotonic() - self._last_flush > self.flush_seconds:
            self._flush_safely()
        if self._stop is not None or self.writer_world > 1:
            self._check_stop()

    def _flush_safely(self) -> None:
        """A failing flush disables flushing (one warning); the buffers are then dropped, not grown."""
        with self._guard("flush") as ok:
            if ok:
                self.flush()
                return
        self._buf, self._param_buf, self._act_buf = {}, [], []
        self._phase_buf, self._printed = [], {}
        self._since_flush, self._last_flush = 0, time.monotonic()

    def _buffer(self, key: str, value) -> None:
        self._buf.setdefault(key, []).append((self.step, value))

    def _replace_last(self, key: str, value) -> None:
        """The value buffered for `key` at the current step, when there is one, becomes `value`."""
        rows = self._buf.get(key)
        if rows and rows[-1][0] == self.step:
            rows[-1] = (self.step, value)

    # ----------------------------------------------------------------- user metrics
    def log(self, step: int | None = None, **metrics: Any) -> None:
        """Record user metrics (val_loss=..., val_acc=...) at `step` (default: the current step)."""
        with self._guard("user metrics") as ok:
            if not ok:
                return
            try:
                at = self.step if step is None else int(step)
            except (TypeError, ValueError, OverflowError):
                return self._log_misuse(f"step must be an integer, got {step!r}")
            if not -MAX_STEP < at < MAX_STEP:
                return self._log_misuse(f"step {at} is out of range (|step| < 2**62)")
            for key, value in metrics.items():
                if isinstance(value, torch.Tensor):
                    value = value.detach().float().mean()
                else:  # a bad value is dropped with one message; the rest of the run is kept
                    try:
                        value = float(value)
                    except (TypeError, ValueError, OverflowError):
                        self._log_misuse(f"{key}={str(value)[:40]} is not a number that fits a float")
                        continue
                name = _canonical(str(key))
                self._take_over(name, (at,))
                self._logged_keys.add(name)
                self._buf.setdefault(name, []).append((at, value))

    def log_framework(self, step: int | None = None, **metrics: Any) -> None:
        """What a framework's own logger reports (HF's `loss`, Lightning's step outputs): it fills
        in a per-step series that capture did not measure, never replaces one it did (a loss
        averaged over 500 logging steps is coarser than the step's own)."""
        captured = {"train_loss": self._loss_seen, "train_acc": self._loss_seen,
                    "grad_norm": self._primary is not None,
                    "grad_norm_preclip": self._primary is not None and self._clip_seen,
                    "lr": self._primary is not None}
        fill = {k: v for k, v in metrics.items() if not captured.get(_canonical(str(k)), False)}
        if fill:
            self.log(step, **fill)

    def _take_over(self, name: str, steps: list[int] | tuple[int, ...]) -> None:
        """The user's own numbers replace what capture measures, also the captured points of that
        metric still buffered (a script that logs after opt.step() would else start with ours),
        and those already written at the `steps` the user's numbers are about to be written at (a
        flush that fell between the captured point and the script's own: two points at one step)."""
        if name not in self._user_keys:
            self._user_keys.add(name)
            if name in YIELDING:
                self._buf.pop(name, None)
            if name in self._captured_keys:
                self.writer.event("eval_void", keys=[name], steps=sorted(set(steps)),
                                  before=self.writer.scalar_records)

    def log_printed(self, metrics: dict[str, float]) -> None:
        """Metrics read off the script's own output (see printed.py), at the current step, as if
        logged, unless the script logs that metric through traindx.log. Raises on bad input: the
        caller, the stdout tee, then stops reading."""
        for name, value in metrics.items():
            split, _, kind = name.rpartition("_")
            if kind in ERROR_OBJECTIVES:  # the loss when the objective is that error
                if not self._objective_is(ERROR_OBJECTIVES[kind]):
                    continue  # a metric beside another objective (a Gaussian NLL's val_mse)
                name, value = f"{split}_loss", value ** 2 if kind == "rmse" else value
                if name in self._foreign_units:
                    continue
                self._printed_errors.add(name)
            if name in self._logged_keys:
                continue
            self._printed.setdefault(name, []).append((self.step, float(value)))
            first, evals_then = self._printed_first.setdefault(name, (self.step, self._evals_closed))
            times = self._printed_times[name] = self._printed_times.get(name, 0) + 1
            if first != self.step and 2 * times >= self._evals_closed - evals_then:
                # printed at two steps, about as often as the script evaluates: it reports this
                # metric regularly, its numbers replace the captured ones. A single print (a final
                # summary line) or one per fold of 60 evaluations (fresh14's k-fold notebook) does
                # not wipe a captured series; it only names the splits of the phase it follows.
                self._take_over(name, [s for s, _ in self._printed[name]])

    def _objective_is(self, loss_function: str) -> bool:
        """Whether the training minimises that error: it called the loss function, or none (a
        loss written by hand, or none seen yet)."""
        train = {name for name, is_train in self._loss_names if is_train}
        return not train or loss_function in train

    def printed_failed(self, exc: Exception) -> None:
        """The stdout reader failed and stopped; the run's notes say so, the script's output not."""
        self.writer.event("warning", step=self.step, message="reading metrics from the script's output "
                          f"stopped after an error: {type(exc).__name__}: {exc}")

    def _log_misuse(self, problem: str) -> None:
        """A wrong traindx.log() call is skipped; said once, the later calls still count."""
        if not getattr(self, "_log_warned", False):
            self._log_warned = True
            print(f"traindx.log: {problem}; skipped (said once)", file=sys.stderr)

    # ----------------------------------------------------------------- flush
    def flush(self) -> None:
        """Move everything buffered to the host, in one transfer per kind, and append it to disk;
        then the listeners look at what was written."""
        self._write_buffers()
        window = self.writer.new_window()
        for listener in self.listeners:
            with self._guard("live checks") as ok:
                if ok:
                    listener.on_flush(self, window)

    # ----------------------------------------------------------------- stopping (--stop-on)
    def request_stop(self, why: str) -> None:
        """End the training at the next step boundary (StopTraining from the optimiser step).
        Several ranks: the stop goes through a file in the run directory naming a step a little
        ahead, which every rank reads every STOP_CHECK steps (a file check, no collective: ranks
        kept in lockstep by their all-reduce are never that far apart), so all stop at one step."""
        if self._stop is not None:
            return
        self.writer.event("stop_requested", step=self.step, why=why)
        if self.writer_world > 1:
            # the first rank to ask names the step; a later one adopts it (exclusive create)
            try:
                with open(self.writer.path / STOP_FILE, "x", encoding="utf-8") as f:
                    f.write(json.dumps({"step": self.step + 2 * STOP_CHECK, "why": why}))
            except OSError:
                pass
            self._read_stop_file()
            if self._stop is None:
                self._stop = (self.step + 2 * STOP_CHECK, why)
        else:
            self._stop = (self.step, why)  # this step boundary (a flush ends a step)

    def _check_stop(self) -> None:
        """At a step boundary (the hot path: an integer compare; a file check every STOP_CHECK
        steps with several ranks)."""
        if self.writer_world > 1 and self._stop is None and self.step % STOP_CHECK == 0:
            self._read_stop_file()
        if self._stop is not None and self.step >= self._stop[0]:
            raise StopTraining(self.step, self._stop[1])

    def _read_stop_file(self) -> None:
        try:
            doc = json.loads((self.writer.path / STOP_FILE).read_text())
            self._stop = (int(doc["step"]), str(doc["why"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def _write_buffers(self) -> None:
        self._since_flush, self._last_flush = 0, time.monotonic()
        written_before = self.writer.scalar_records  # a void below spares what this flush writes
        buf, self._buf = self._buf, {}
        printed, self._printed = self._printed, {}
        phases = self._phases_to_host()
        self._drop_foreign_units(printed, phases)
        reported: dict[int, dict[str, float]] = {}  # the script's own losses name the eval splits
        for key, items in printed.items():
            if key in self._logged_keys:  # logged after it was printed: the logged one stands
                continue
            if key in self._user_keys or key.startswith("test_"):
                # (a test metric is never captured: printed once, at the end, it is the test
                # split's number, not a summary that would wipe a series)
                buf.setdefault(key, []).extend(items)
                continue
            self._printed[key] = items  # printed once so far: held, not (yet) a series
            if "loss" in key:
                for s, v in items:
                    reported.setdefault(s, {})[key] = v
        for key, items in buf.items():
            if key == "input_stats":
                self._write_input_stats(items)
                continue
            steps, values = [s for s, _ in items], _to_floats([v for _, v in items])
            self.writer.scalars(key, steps, values)
            if key not in self._user_keys:
                self._captured_keys.add(key)
            if phases and key in self._user_keys and "loss" in key:
                for s, v in zip(steps, values):
                    reported.setdefault(s, {})[key] = v
        if phases:
            self._flush_phases(phases, reported, written_before)
        self._flush_params()
        self._flush_acts()
        if self._labels.counts:
            self.writer.event("labels", **self._labels.to_host())
        if len(self._unmeasured) > self._unmeasured_written:
            self._unmeasured_written = len(self._unmeasured)
            self.writer.event("unmeasured", modules=dict(self._unmeasured))

    def _write_input_stats(self, items: list[tuple[int, torch.Tensor]]) -> None:
        """The model input's statistics (column "input"), and those of what its first weight layer
        received (`first_layer_input_*`) on the steps where that layer had the input's shape."""
        n = len(INPUT_STATS)
        rows = torch.stack([v if len(v) == 2 * n else torch.cat([v, v.new_full((n,), math.nan)])
                            for _, v in items]).cpu().tolist()
        stats = {f"input_{k}": [[row[i]] for row in rows] for i, k in enumerate(INPUT_STATS)}
        if any(math.isfinite(row[n + 1]) for row in rows):
            stats.update({f"first_layer_input_{k}": [[row[n + i]] for row in rows]
                          for i, k in enumerate(INPUT_STATS)})
        self.writer.layers("activations", [s for s, _ in items], ["input"], stats)

    def _phases_to_host(self) -> list[splits.Phase]:
        """The evaluation phases closed since the last flush, read back in one transfer."""
        phases, self._phase_buf = self._phase_buf, []
        flat: list = []
        for _, mixed, acc, values, _, targets, accs in phases:
            flat += [mixed, acc if acc is not None else float("nan"), *(values or ())]
            flat += [x for t in (targets or ()) if t is not None for x in t[:2]]
            flat += [x for a in (accs or ()) if a is not None for x in a]
        host = iter(_to_floats(flat))
        done = []
        for step, _, acc, values, weights, targets, accs in phases:
            mixed, acc_value = next(host), next(host)
            vals = [next(host) for _ in values] if values is not None else None
            ranges = [None if t is None else (next(host), next(host), t[2]) for t in (targets or ())]
            correct = [None if a is None else (next(host), next(host)) for a in (accs or ())]
            done.append(splits.Phase(step, mixed, acc_value if acc is not None else None, vals,
                                     [float(w) for w in weights] if weights is not None else [],
                                     ranges, correct))
        return done

    def _drop_foreign_units(self, printed: dict[str, list[tuple[int, float]]],
                            phases: list[splits.Phase]) -> None:
        """A printed error outside the range of the losses captured in the evaluation it reports
        (beyond `UNIT_SLACK`) is in other units (targets scaled for training, the error reported
        in the original ones): it is not that split's loss, now or later."""
        captured = {p.step: p.values or [p.mixed_loss] for p in phases}
        for key in self._printed_errors & set(printed):
            if any(s in captured and not _within(v, captured[s]) for s, v in printed[key]):
                self._foreign_units.add(key)
                self._user_keys.discard(key)
                del printed[key]

    def _flush_phases(self, done: list[splits.Phase], reported: dict[int, dict[str, float]],
                      written_before: int) -> None:
        """eval_loss/eval_acc of the evaluation phases, or one series per data split when the
        phases evaluate several splits in turn (splits.py)."""
        out = self._splits.phases(done, self._user_keys, reported)
        for keys, steps in out.voids:  # written mixed before the run showed its splits
            self.writer.event("eval_void", keys=keys, steps=steps, before=written_before)
        for key, items in out.scalars.items():
            self.writer.scalars(key, [s for s, _ in items], [v for _, v in items])
            self._captured_keys.add(key)  # (out.scalars holds captured evaluations only)
        for note in out.notes:
            self.writer.event("note", message=note, step=self.step)

    def _flush_params(self) -> None:
        buf, self._param_buf = self._param_buf, []
        for names in dict.fromkeys(n for _, n, _, _ in buf):
            rows = [(s, st, up) for s, n, st, up in buf if n == names]
            stats = torch.stack([st for _, st, _ in rows]).cpu().numpy()
            nan = torch.full((len(names),), float("nan"))
            ups = torch.stack([(up.cpu() if up is not None else nan) for _, _, up in rows]).numpy()
            cols = {k: stats[:, :, i].tolist() for i, k in enumerate(PARAM_STATS)}
            with _quiet_numpy():
                cols["update_ratio"] = (ups / stats[:, :, PARAM_STATS.index("weight_norm")]).tolist()
            self.writer.layers("params", [s for s, _, _ in rows], list(names), cols)

    def _flush_acts(self) -> None:
        buf, self._act_buf = self._act_buf, []
        for names in dict.fromkeys(n for _, n, _, _ in buf):
            rows = [(s, t, sizes) for s, n, t, sizes in buf if n == names]
            raw = torch.stack([t for _, t, _ in rows]).cpu()
            stats = finish_activation_stats(raw, torch.tensor([sizes for _, _, sizes in rows],
                                                              dtype=raw.dtype)).numpy()
            cols = {k: stats[:, :, i].tolist() for i, k in enumerate(ACT_STATS)}
            self.writer.layers("activations", [s for s, _, _ in rows], list(names), cols)
            kinds = {n: self._act_kinds.get(n, "") for n in names}
            new = {n: k for n, k in kinds.items() if self._kinds_written.get(n) != k}
            if new:  # once per module, not at every flush
                self._kinds_written.update(new)
                self.writer.event("activation_kinds", kinds=new)


def _with_closure(args: tuple, kwargs: dict, closure) -> tuple[tuple, dict]:
    """(args, kwargs) of an optimiser step with its closure replaced (a pre-hook may return them;
    args[0] is the optimiser itself)."""
    if "closure" in kwargs or len(args) < 2:
        return args, {**kwargs, "closure": closure}
    return (args[0], closure, *args[2:]), kwargs


def _target_variance(inp, target) -> torch.Tensor | None:
    """The mean per-output variance of a regression batch's targets, on the device: the squared
    error of always predicting their mean (a regression's chance level, as the class prior's
    entropy is a classifier's)."""
    if not (isinstance(target, torch.Tensor) and isinstance(inp, torch.Tensor)) or \
            not target.is_floating_point() or target.dim() == 0 or target.shape[0] < 2 or \
            target.shape != inp.shape:
        return None
    t = target.detach().float().reshape(target.shape[0], -1)
    return t.var(dim=0, unbiased=False).mean()


def _target_range(target) -> tuple | None:
    """(lowest, highest target value as 0-d tensors, several targets?) of one evaluation call, on the
    device: a loader sorted by label shows as batches and segments of one value (see splits.py)."""
    if not isinstance(target, torch.Tensor) or target.numel() == 0 or target.is_complex():
        return None
    t = target.detach()
    if t.dtype == torch.bool:
        t = t.to(torch.uint8)
    lo, hi = torch.aminmax(t)
    return lo, hi, t.numel() > 1


def _numel(p) -> int:
    return 0 if is_lazy(p) else p.numel()


def _quiet_numpy():
    import numpy as np
    return np.errstate(divide="ignore", invalid="ignore")


def _share(correct: torch.Tensor, count) -> torch.Tensor:
    """correct / count on the device; a count (an int, or a device tensor of labelled targets) of
    0 gives NaN, not an error."""
    if isinstance(count, torch.Tensor):
        return correct.float() / count.float()
    return correct.float() / count if count else correct.float() * math.nan


def _to_floats(values: list) -> list[float]:
    tensors = [v.detach().float().reshape(()) for v in values if isinstance(v, torch.Tensor)]
    try:
        host = iter(torch.stack(tensors).cpu().tolist() if tensors else ())
    except RuntimeError:  # tensors on several devices: one transfer each
        host = iter([t.item() for t in tensors])
    out = []
    for v in values:
        try:
            out.append(next(host) if isinstance(v, torch.Tensor) else float(v))
        except (TypeError, ValueError, OverflowError):
            out.append(float("nan"))
    return out


YIELDING = ("train_loss", "train_acc", "grad_norm")  # captured series that a user key replaces
# a printed regression error -> the loss function whose value it is (an RMSE squared)
ERROR_OBJECTIVES = {"mse": "mse_loss", "rmse": "mse_loss", "mae": "l1_loss"}
UNIT_SLACK = 1.25  # a printed error this far outside its evaluation's captured losses: other units (not
                   # rounding, not the mean of several splits' losses, which lies within their range)


def _within(value: float, losses: list[float]) -> bool:
    """Whether a printed error lies within UNIT_SLACK of the range of the captured losses."""
    fin = [v for v in losses if math.isfinite(v)]
    if not fin or not math.isfinite(value):
        return True
    return min(fin) / UNIT_SLACK <= value <= max(fin) * UNIT_SLACK


NAMED = ("train_loss", "eval_loss", "test_loss", "train_acc", "eval_acc", "test_acc")


def _canonical(key: str) -> str:
    """The signal a user's key names (`valid_acc`, `loss/val`, `dev_accuracy`: names.py), for the
    losses and accuracies the detectors read; a qualified key (`train_loss_epoch`) stays itself."""
    hit = classify(key)
    return hit[0] if hit is not None and hit[0] in NAMED and hit[1] <= 1 else key


def _hidden_states(module: torch.nn.RNNBase, output):
    """A recurrent layer's hidden states, the first of its (output, state) pair (a packed
    sequence's data); None for an nn.RNN whose nonlinearity is relu: unbounded, not a tanh."""
    if getattr(module, "nonlinearity", "tanh") != "tanh":
        return None
    out = output[0] if isinstance(output, tuple) and output else output
    return out.data if isinstance(out, torch.nn.utils.rnn.PackedSequence) else out
