"""Activation functions called as functions — `torch.tanh(h)`, `h.sigmoid()`, `F.tanh(h)`,
`F.relu(h)` — in a model that has no activation modules to hook. Seen through a TorchFunctionMode
that is active only during a sampled training forward of such a model: nothing is patched, other
steps and other models pay nothing, and a model scripted or compiled beforehand sees the functions
it was built with."""
from __future__ import annotations

from typing import Callable

import torch
from torch.overrides import TorchFunctionMode

# the function objects torch hands to a mode for these calls (F.tanh and F.sigmoid call the
# Tensor methods), and the activation kind recorded for each
FUNCTIONS = {torch.tanh: "tanh", torch.Tensor.tanh: "tanh",
             torch.sigmoid: "sigmoid", torch.Tensor.sigmoid: "sigmoid", torch.special.expit: "sigmoid",
             # a ReLU's output: its units that never fire are dead (F.relu reaches a mode as itself)
             torch.nn.functional.relu: "relu", torch.relu: "relu", torch.Tensor.relu: "relu",
             torch.relu_: "relu", torch.Tensor.relu_: "relu"}


class FunctionalActivations(TorchFunctionMode):
    """Calls `seen(kind, output)` after each tanh/sigmoid/relu call; every other call passes through."""

    def __init__(self, seen: Callable[[str, torch.Tensor], None]):
        super().__init__()
        self.seen = seen

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        kind = FUNCTIONS.get(func)
        if kind is not None and isinstance(out, torch.Tensor):
            self.seen(kind, out)
        return out


# a product with a weight tensor: one layer of a model written with raw tensors
PRODUCTS = {torch.matmul, torch.Tensor.matmul, torch.Tensor.__matmul__, torch.Tensor.__rmatmul__,
            torch.mm, torch.Tensor.mm, torch.addmm, torch.bmm, torch.nn.functional.linear,
            torch.nn.functional.conv1d, torch.nn.functional.conv2d}


class HandMadeLayers(TorchFunctionMode):
    """A model made of raw weight tensors, no nn.Module (`torch.tanh(x @ W1 + b1)`): a product with
    one of `weights` (id -> name) is a layer, the first tanh/sigmoid/relu after it its activation,
    reported as `seen(layer name + "." + kind, kind, output)`. Calls outside a training forward
    (no gradient: an evaluation) are not reported. A script that builds new weight tensors at each
    update (JAX-style) hands the forward tensors not seen yet: with `shapes` (shape -> names in the
    model's order), a leaf needing a gradient of such a shape is the next weight of that shape."""

    def __init__(self, weights: dict[int, str], seen: Callable[[str, str, torch.Tensor], None],
                 shapes: dict[tuple, list[str]] | None = None,
                 data: Callable[[torch.Tensor], None] | None = None):
        super().__init__()
        self.weights, self.seen, self.shapes = weights, seen, shapes or {}
        self.data = data  # told the first layers' other operands: the model's input among them
        self._data_left = 3
        self.layer: str | None = None
        self._uses: dict[tuple, int] = {}

    def _weight(self, args) -> str | None:
        name = next((self.weights[id(a)] for a in args if id(a) in self.weights), None)
        if name is not None or not self.shapes:
            return name
        for a in args:
            if isinstance(a, torch.Tensor) and a.is_leaf and a.requires_grad and tuple(a.shape) in self.shapes:
                names, i = self.shapes[tuple(a.shape)], self._uses.get(tuple(a.shape), 0)
                self._uses[tuple(a.shape)] = i + 1
                return names[min(i, len(names) - 1)]
        return None

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func in PRODUCTS:
            layer = self._weight(args)
            if layer is not None and self.data is not None and self._data_left > 0:
                # (the first products' operands that need no gradient: the data, or a scan's zero
                # initial state before it; the recorder keeps the widest spread)
                x = next((a for a in args if isinstance(a, torch.Tensor) and not a.requires_grad), None)
                if x is not None and x.is_floating_point():
                    self._data_left -= 1
                    self.data(x)
            self.layer = layer or self.layer
        elif self.layer is not None and isinstance(out, torch.Tensor) and out.requires_grad:
            kind = FUNCTIONS.get(func)
            if kind is not None:
                self.seen(f"{self.layer}.{kind}", kind, out)
                self.layer = None
        return out
