"""What the fresh3 corpus set (tests/corpus/fresh3_*) showed, each with a real small training:
sparse bag-of-words inputs are not unnormalised (raw large counts still are), and a zero-initialised
last layer of a block (a coupling network's output, as RealNVP does) is not a symmetric weight
matrix, while a constant hidden layer still is."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import traindx
from traindx.api import diagnose_path


def _problems(path) -> set[str]:
    ((_, diagnosis, _),) = diagnose_path(path)
    return {f.problem for f in diagnosis.findings if f.severity.rank}


def _train(model, x, y, out, steps=80, lr=0.05):
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    with traindx.watch(out=out, alerts=False) as w:
        for step in range(steps):
            i = torch.randint(0, len(x), (32,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return w.path


def _bag_of_words(n=512, vocab=400):
    torch.manual_seed(0)
    counts = torch.poisson(torch.full((n, vocab), 0.04))
    counts[:, 0] += torch.poisson(torch.full((n,), 6.0))  # a frequent word: a large per-feature mean
    y = (counts[:, 1:20].sum(1) > counts[:, 20:39].sum(1)).long()
    return counts, y


@pytest.mark.slow
def test_sparse_bag_of_words_inputs_are_not_unnormalised(tmp_path):
    counts, y = _bag_of_words()
    model = nn.Sequential(nn.Linear(400, 64), nn.ReLU(), nn.Linear(64, 2))
    assert "unnormalized_inputs" not in _problems(_train(model, torch.log1p(counts), y, tmp_path / "log1p"))
    # the same words counted in the thousands: the scale itself is wrong, sparse or not
    model = nn.Sequential(nn.Linear(400, 64), nn.ReLU(), nn.Linear(64, 2))
    assert "unnormalized_inputs" in _problems(_train(model, counts * 1000.0, y, tmp_path / "raw", lr=1e-6))


class Coupling(nn.Module):
    """A residual branch whose output layer starts at zero (RealNVP, ReZero, adapters)."""

    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Linear(32, d))
        nn.init.zeros_(self.net[2].weight)

    def forward(self, x):
        return x + self.net(x)


@pytest.mark.slow
def test_a_zero_initialised_block_output_is_not_symmetric_but_a_constant_hidden_layer_is(tmp_path):
    torch.manual_seed(0)
    x = torch.randn(512, 8)
    y = (x[:, 0] * x[:, 1] > 0).long()
    model = nn.Sequential(Coupling(8), Coupling(8), nn.Linear(8, 2))
    assert "poor_initialization" not in _problems(_train(model, x, y, tmp_path / "coupling"))
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    nn.init.constant_(model[2].weight, 0.05)
    assert "poor_initialization" in _problems(_train(model, x, y, tmp_path / "constant"))
