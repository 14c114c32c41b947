"""Models: MLP/CNN shapes, initialisation, residual blocks."""
import math

import pytest
import torch

from traindx.train import config as C
from traindx.train.models import build


def model(**m):
    return build(C.validate({"model": m}), (16,), 3)


@pytest.mark.parametrize("act, expected", [("relu", math.sqrt(2 / 256)), ("tanh", 5 / 3 * math.sqrt(2 / 512))])
def test_auto_init_is_he_for_relu_and_xavier_for_tanh(act, expected):
    torch.manual_seed(0)
    m = build(C.validate({"model": {"widths": [256, 256], "activation": act}}), (256,), 3)
    std = m.layers[1].linear.weight.std().item()
    assert std == pytest.approx(expected, rel=0.05)
    assert m.layers[1].linear.bias.abs().max().item() == 0


def test_blocks_batch_norm_dropout_residual():
    m = model(widths=[8, 8], batch_norm=True, dropout=0.2, residual=True)
    assert m.layers[0].norm is not None and m.layers[1].drop is not None
    assert not m.layers[0].skip and m.layers[1].skip  # skip only where the widths match
    assert m(torch.randn(5, 16)).shape == (5, 3)


def test_cnn_on_images():
    cfg = C.validate({"data": {"dataset": "bars"}, "model": {"type": "cnn", "widths": [4, 8]}})
    m = build(cfg, (1, 8, 8), 4)
    assert m(torch.randn(2, 1, 8, 8)).shape == (2, 4)
    assert any(isinstance(x, torch.nn.Conv2d) for x in m.modules())
