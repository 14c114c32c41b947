"""Activations as people write them (fresh4 corpus): one activation module applied after several
layers (`self.act = nn.ReLU()`) has each call measured, named after the layer that fed it (only the
first call was, before: a skorch net with dead layers 2 and 3 read as poorly initialised); and in a
model with no activation modules, F.relu's outputs are measured themselves, so a hand-written
sigmoid RNN's layers are no longer read as the inputs of ReLUs it does not have."""
from __future__ import annotations

import torch
from torch import nn

import traindx
from traindx.api import diagnose_path


class SharedAct(nn.Module):
    def __init__(self, dead_bias: float):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(10, 64), nn.Linear(64, 64), nn.Linear(64, 64)
        self.out = nn.Linear(64, 4)
        self.act = nn.ReLU()
        for fc in (self.fc2, self.fc3):
            nn.init.constant_(fc.bias, dead_bias)

    def forward(self, x):
        return self.out(self.act(self.fc3(self.act(self.fc2(self.act(self.fc1(x)))))))


def _diagnose(model, out):
    torch.manual_seed(0)
    x = torch.randn(512, 10)
    y = x[:, :4].argmax(1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(60):
            i = torch.randint(0, 512, (64,))
            loss = nn.functional.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    ((run, diagnosis, _),) = diagnose_path(w.path)
    return {f.problem: f for f in diagnosis.findings}, run


def test_a_shared_activation_module_is_measured_after_each_layer(tmp_path):
    torch.manual_seed(0)
    found, run = _diagnose(SharedAct(dead_bias=-20.0), tmp_path / "dead")
    assert {"act", "fc2.act", "fc3.act"} <= set(run.activations.layers)
    assert "dead_units" in found and "fc2.act" in found["dead_units"].summary
    torch.manual_seed(0)
    found, _ = _diagnose(SharedAct(dead_bias=0.0), tmp_path / "alive")
    assert "dead_units" not in found


class HandRNN(nn.Module):
    """An Elman RNN written by hand: h = sigmoid(Wx x + Wh h) — its layers feed a sum and a
    sigmoid called as a function, no ReLU anywhere."""

    def __init__(self, relu_head: bool = False, dead_bias: float = 0.0):
        super().__init__()
        self.Wx, self.Wh = nn.Linear(10, 32), nn.Linear(32, 32)
        self.fc, self.out = nn.Linear(32, 32), nn.Linear(32, 4)
        self.relu_head = relu_head
        nn.init.constant_(self.fc.bias, dead_bias)

    def forward(self, x):
        h = torch.zeros(x.shape[0], 32)
        for t in range(x.shape[1]):
            h = torch.sigmoid(self.Wx(x[:, t]) + self.Wh(h))
        return self.out(nn.functional.relu(self.fc(h)) if self.relu_head else self.fc(h))


def _diagnose_seq(model, out):
    torch.manual_seed(0)
    x = torch.randn(256, 5, 10)
    y = x[:, -1, :4].argmax(1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(30):
            i = torch.randint(0, 256, (32,))
            loss = nn.functional.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    ((run, diagnosis, _),) = diagnose_path(w.path)
    return {f.problem: f for f in diagnosis.findings}, run


def test_functional_relu_outputs_are_measured_and_no_relu_means_no_dead_units(tmp_path):
    """A model with no activation modules: layers feeding a sigmoid are not ReLU inputs (a layer
    that is never positive there is not dead, with no ReLU after it); an F.relu call is measured
    itself (`fc.relu`)."""
    torch.manual_seed(0)
    found, run = _diagnose_seq(HandRNN(dead_bias=-30.0), tmp_path / "no_relu")
    assert "dead_units" not in found
    torch.manual_seed(0)
    found, run = _diagnose_seq(HandRNN(relu_head=True, dead_bias=-30.0), tmp_path / "dead_relu")
    assert "fc.relu" in run.activations.layers
    assert "dead_units" in found and "fc.relu" in found["dead_units"].summary
