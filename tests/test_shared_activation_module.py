"""One activation module applied after several layers (`self.act = nn.ReLU()`, a common style):
each call is measured, named after the layer that fed it, so units killed in a deeper layer are
seen (only the first call was, before: the fresh4 corpus's skorch net with dead layers 2 and 3)."""
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
