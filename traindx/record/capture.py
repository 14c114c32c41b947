"""Zero-code capture of losses and gradient clipping: thin wrappers around torch.nn.functional's
losses (the nn loss modules call these too), Tensor.backward (a loss written by hand) and
clip_grad_norm_. Each wrapper returns exactly what the wrapped function returns; the recorder only
reads detached tensors."""
from __future__ import annotations

import functools
from typing import Any, Callable

import torch
import torch.nn.functional as F
import torch.nn.utils
import torch.nn.utils.clip_grad

CLASSIFICATION = {"cross_entropy", "nll_loss"}
BINARY = {"binary_cross_entropy", "binary_cross_entropy_with_logits"}
REGRESSION = {"mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"}
OTHER = {"kl_div", "poisson_nll_loss", "gaussian_nll_loss", "margin_ranking_loss",
         "hinge_embedding_loss", "soft_margin_loss", "multilabel_soft_margin_loss",
         "multi_margin_loss", "cosine_embedding_loss", "triplet_margin_loss", "ctc_loss"}
LOSSES = sorted(CLASSIFICATION | BINARY | REGRESSION | OTHER)


def kind(loss: str) -> str:
    """classification | binary | regression | other: what the loss says about the task."""
    return "classification" if loss in CLASSIFICATION else "binary" if loss in BINARY else \
        "regression" if loss in REGRESSION else "other"


# losses that squash their input themselves (log_softmax, a sigmoid): an input already squashed by
# the model bounds the loss away from its minimum and flattens its gradient (a second squash)
SQUASHING_LOSSES = {"cross_entropy": "Softmax", "binary_cross_entropy_with_logits": "Sigmoid",
                    "nll_loss": "Softmax"}  # nll_loss wants log-probabilities, not probabilities
# autograd nodes that only reshape, slice or cast: a softmax behind them is still the loss's input
_PASS_THROUGH = {"View", "UnsafeView", "Reshape", "ReshapeAlias", "Transpose", "T", "Permute",
                 "Squeeze", "Unsqueeze", "Clone", "Slice", "Select", "ToCopy", "AsStrided",
                 "Expand", "Contiguous"}


def squashed_input(loss: str, inp: Any) -> dict | None:
    """{"squash": "softmax"|"sigmoid", "classes": n}: the loss's input comes straight (through
    reshapes) from the squashing function the loss applies again. Read from the autograd graph's
    node types: no tensor is touched, nothing waits for the device."""
    want = SQUASHING_LOSSES.get(loss)
    node = getattr(inp, "grad_fn", None)
    for _ in range(8):
        if node is None or want is None:
            return None
        op = type(node).__name__.rsplit("Backward", 1)[0]
        if op == want:
            found = {"squash": want.lower(), "classes": None}
            if want == "Softmax":
                saved = getattr(node, "_saved_result", None)
                dim = getattr(node, "_saved_dim", None)
                if isinstance(dim, int) and dim >= 1 << 63:
                    dim -= 1 << 64  # (dim=-1 comes back as an unsigned 64-bit integer)
                if isinstance(saved, torch.Tensor) and isinstance(dim, int) and -saved.dim() <= dim < saved.dim():
                    found["classes"] = int(saved.shape[dim])
            return found
        if op not in _PASS_THROUGH or not node.next_functions:
            return None
        node = node.next_functions[0][0]
    return None

_originals: dict[tuple[Any, str], Callable] = {}
_sink: list = []  # the active recorder (at most one)


def _arg(args: tuple, kwargs: dict, i: int, name: str):
    return args[i] if len(args) > i else kwargs.get(name)


def transformed(t: Any) -> bool:
    """A tensor inside a torch.func transform (vmap's per-sample loss, grad's): no batch of the
    training's loss, and in-place counting on it is refused by vmap."""
    try:
        return isinstance(t, torch.Tensor) and torch._C._functorch.is_functorch_wrapped_tensor(t)
    except AttributeError:  # (a torch without functorch's wrappers)
        return False


def _loss_wrapper(name: str, fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if _sink and not transformed(out):
            _sink[0].on_loss(name, out, _arg(args, kwargs, 0, "input"),
                             _arg(args, kwargs, 1, "target"), kwargs)
        return out

    wrapper.__traindx_original__ = fn
    return wrapper


def _clip_wrapper(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        params = None
        if _sink:  # the parameters as a list (a generator would be used up), passed on as such
            given = _arg(args, kwargs, 0, "parameters")
            try:
                params = [given] if isinstance(given, torch.Tensor) else list(given)
            except TypeError:  # not iterable: torch says so itself, with the call as it was
                params = None
            if params is not None and "parameters" in kwargs:
                kwargs["parameters"] = params
            elif params is not None:
                args = (params, *args[1:])
        total = fn(*args, **kwargs)
        if _sink:
            _sink[0].on_clip(total, params, _arg(args, kwargs, 1, "max_norm"),
                             _arg(args, kwargs, 2, "norm_type"))
        return total

    wrapper.__traindx_original__ = fn
    return wrapper


def _backward_wrapper(fn: Callable) -> Callable:
    """Tensor.backward: the tensor a backward pass starts from is the training objective, however
    the script computed it (a loss written by hand calls no loss function)."""
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        watched = bool(_sink) and not transformed(self)
        if watched:
            _sink[0].on_backward(self)
        out = fn(self, *args, **kwargs)
        if watched:
            _sink[0].after_backward()
        return out

    wrapper.__traindx_original__ = fn
    return wrapper


def _grad_wrapper(fn: Callable) -> Callable:
    """torch.autograd.grad: a loop that takes its gradients as values (raw tensors updated by
    hand, no backward() and nothing in .grad) makes its backward passes through it."""
    @functools.wraps(fn)
    def wrapper(outputs, inputs, *args, **kwargs):
        # (torch.func.grad calls it on its wrapped tensors: a transform's inner pass, not a step)
        watched = bool(_sink) and not any(transformed(t) for t in (
            outputs if isinstance(outputs, (tuple, list)) else (outputs,)))
        if watched:
            _sink[0].end_hand_made()  # the forward is over (see Recorder.on_backward)
            if not isinstance(inputs, torch.Tensor):
                inputs = tuple(inputs)  # (a generator, model.parameters(), is read once)
        grads = fn(outputs, inputs, *args, **kwargs)
        if watched:
            # grad(outputs, inputs, grad_outputs, retain_graph, create_graph, ...)
            create_graph = kwargs.get("create_graph", args[2] if len(args) > 2 else False)
            _sink[0].on_grad_values(outputs, inputs, grads, bool(create_graph))
        return grads

    wrapper.__traindx_original__ = fn
    return wrapper


def _patch(owner: Any, attr: str, make: Callable[[Callable], Callable]) -> None:
    fn = getattr(owner, attr, None)
    if fn is None or hasattr(fn, "__traindx_original__"):
        return
    _originals[(owner, attr)] = fn
    setattr(owner, attr, make(fn))


def _spawn_wrapper(fn: Callable) -> Callable:
    """torch.multiprocessing.spawn: the children train where traindx's hooks are not; say so in
    the run's notes instead of reporting the parent's empty record as the training."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _sink:
            _sink[0].note_spawned(kwargs.get("nprocs", args[2] if len(args) > 2 else None))
        return fn(*args, **kwargs)

    wrapper.__traindx_original__ = fn
    return wrapper


def install(recorder: Any) -> None:
    """Route captured calls to `recorder`. Patching happens once per process."""
    _sink[:] = [recorder]
    for name in LOSSES:
        _patch(F, name, lambda fn, n=name: _loss_wrapper(n, fn))
    for owner in (torch.nn.utils, torch.nn.utils.clip_grad):
        _patch(owner, "clip_grad_norm_", _clip_wrapper)
    _patch(torch.Tensor, "backward", _backward_wrapper)
    _patch(torch.autograd, "grad", _grad_wrapper)
    import torch.multiprocessing as tmp
    for attr in ("spawn", "start_processes"):
        _patch(tmp, attr, _spawn_wrapper)


def uninstall(recorder: Any) -> None:
    if _sink and _sink[0] is recorder:
        _sink.clear()
    for (owner, attr), fn in _originals.items():
        setattr(owner, attr, fn)
    _originals.clear()
