"""Models for the built-in trainer: an MLP or a small CNN, built from the config's model section.

Layers are plain nn.Linear/nn.Conv2d/activation modules so the recorder sees each one by name
(layers.0.linear, layers.0.act, ..., head)."""
from __future__ import annotations

import math

import torch
from torch import nn

ACT = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU, "gelu": nn.GELU,
       "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
RELU_FAMILY = ("relu", "leaky_relu", "elu", "gelu")


class Block(nn.Module):
    """linear (or conv) -> [batch norm] -> activation -> [dropout], with an optional skip path."""

    def __init__(self, d_in: int, d_out: int, m: dict, conv: bool = False):
        super().__init__()
        self.linear = nn.Conv2d(d_in, d_out, 3, padding=1) if conv else nn.Linear(d_in, d_out)
        self.norm = (nn.BatchNorm2d(d_out) if conv else nn.BatchNorm1d(d_out)) if m["batch_norm"] else None
        self.act = ACT[m["activation"]]()
        self.drop = (nn.Dropout2d(m["dropout"]) if conv else nn.Dropout(m["dropout"])) if m["dropout"] > 0 else None
        self.skip = bool(m["residual"]) and d_in == d_out

    def forward(self, x):
        h = self.linear(x)
        if self.norm is not None:
            h = self.norm(h)
        h = self.act(h)
        if self.drop is not None:
            h = self.drop(h)
        return x + h if self.skip else h


class MLP(nn.Module):
    def __init__(self, d_in: int, d_out: int, m: dict):
        super().__init__()
        dims = [d_in] + list(m["widths"])
        self.layers = nn.Sequential(*[Block(a, b, m) for a, b in zip(dims[:-1], dims[1:])])
        self.head = nn.Linear(dims[-1], d_out)

    def forward(self, x):
        return self.head(self.layers(x.flatten(1)))


class CNN(nn.Module):
    """Conv blocks (3x3, channels = widths), a 2x2 max-pool after the first, then a linear head."""

    def __init__(self, in_shape: tuple, d_out: int, m: dict):
        super().__init__()
        chans = [in_shape[0]] + list(m["widths"])
        blocks = []
        for i, (a, b) in enumerate(zip(chans[:-1], chans[1:])):
            blocks.append(Block(a, b, m, conv=True))
            if i == 0:
                blocks.append(nn.MaxPool2d(2))
        self.layers = nn.Sequential(*blocks)
        h, w = in_shape[1] // 2, in_shape[2] // 2
        self.head = nn.Linear(chans[-1] * h * w, d_out)

    def forward(self, x):
        return self.head(self.layers(x).flatten(1))


def init_weights(model: nn.Module, m: dict) -> None:
    """`auto`: He for the ReLU family, Xavier for tanh/sigmoid; `default`: PyTorch's own."""
    how = m["init"]
    if how == "default":
        return
    if how == "auto":
        how = "he" if m["activation"] in RELU_FAMILY else "xavier"
    act = m["activation"]
    for mod in model.modules():
        if not isinstance(mod, (nn.Linear, nn.Conv2d)):
            continue
        w = mod.weight
        with torch.no_grad():
            if how == "he":
                nl = "leaky_relu" if act == "leaky_relu" else "relu"
                nn.init.kaiming_normal_(w, nonlinearity=nl)
            elif how == "xavier":
                gain = nn.init.calculate_gain(act) if act in ("tanh", "sigmoid") else 1.0
                nn.init.xavier_normal_(w, gain=gain)
            elif how == "normal":
                nn.init.normal_(w, 0.0, m["init_std"])
            elif how == "uniform":
                nn.init.uniform_(w, -m["init_std"], m["init_std"])
            elif how == "zeros":
                nn.init.zeros_(w)
            if mod.bias is not None:
                nn.init.zeros_(mod.bias)


def build(cfg: dict, input_shape: tuple, d_out: int) -> nn.Module:
    m = cfg["model"]
    if m["type"] == "cnn":
        if len(input_shape) != 3:
            from ..errors import InputError
            raise InputError("config", f"key model.type: cnn needs images (C,H,W), the data has shape {input_shape}")
        model = CNN(input_shape, d_out, m)
    else:
        model = MLP(int(math.prod(input_shape)), d_out, m)
    init_weights(model, m)
    return model
