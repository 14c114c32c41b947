"""The root cause first, and advice for that cause: units killed by their initialisation are
dead_units (not a weight scale that collapses with depth), fixed at the initialisation, not by a
lower learning rate; raw inputs that blow up the first updates come before the units they kill.
Real small trainings through `traindx.watch`."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

import traindx
from traindx.analysis import analyse
from traindx.api import diagnose_path


def _train(model, x, y, out, steps=60, lr=0.01):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(steps):
            i = torch.randint(0, len(x), (32,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    ((run, diagnosis, _),) = diagnose_path(w.path)
    return run, diagnosis


def _data(n=512, d=10, scale=1.0):
    torch.manual_seed(0)
    x = torch.randn(n, d)
    return x * scale, (x[:, 0] + x[:, 1] > 0).long()


def test_units_killed_by_a_negative_bias_are_dead_units_fixed_at_the_initialisation(tmp_path):
    x, y = _data()
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
    with torch.no_grad():
        model[0].bias.fill_(-20.0)  # every pre-activation below zero before any update
    run, diagnosis = _train(model, x, y, tmp_path / "bias")
    flagged = [f.problem for f in diagnosis.findings if f.severity.rank]
    assert flagged[0] == "dead_units", flagged
    assert "poor_initialization" not in flagged  # the weights' scale is fine: the bias killed them
    actions = [item.action for item in analyse(run).plan]
    assert actions[0].startswith("Initialise 0 so that the units after it start active"), actions
    assert not any(a.startswith("Lower the learning rate") for a in actions), actions


def test_a_weight_scale_that_collapses_with_depth_is_still_poor_initialisation(tmp_path):
    x, y = _data()
    layers = []
    for _ in range(8):
        lin = nn.Linear(32, 32)
        nn.init.normal_(lin.weight, std=0.02)  # ~ a tenth of the He scale per layer: 1e-8 at depth 8
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.Tanh()]
    model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), *layers, nn.Linear(32, 2))
    _, diagnosis = _train(model, x, y, tmp_path / "scale", steps=20)
    assert "poor_initialization" in {f.problem for f in diagnosis.findings if f.severity.rank}


def _relu_mlp(bias: float, std: float | None = None):
    fcs = [nn.Linear(10, 64), nn.Linear(64, 64), nn.Linear(64, 64)]
    for fc in fcs:
        if std is None:
            nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
        else:
            nn.init.normal_(fc.weight, std=std)
        nn.init.constant_(fc.bias, bias)
    layers = [m for fc in fcs for m in (fc, nn.ReLU())]
    return nn.Sequential(*layers, nn.Linear(64, 2))


def test_biases_that_kill_most_units_are_not_a_collapsing_weight_scale(tmp_path):
    """He-scaled weights with every hidden bias at -2 (a skorch net of the fresh4 corpus): most
    ReLUs never fire, the signal after them shrinks by orders; that is dead units, not the
    weights' scale. Weights far too small with zero biases shrink it as much and still are."""
    x, y = _data()
    torch.manual_seed(0)
    _, diagnosis = _train(_relu_mlp(bias=-2.0), x, y, tmp_path / "biases")
    flagged = [f.problem for f in diagnosis.findings if f.severity.rank]
    assert flagged and flagged[0] == "dead_units" and "poor_initialization" not in flagged, flagged
    torch.manual_seed(0)
    _, diagnosis = _train(_relu_mlp(bias=0.0, std=0.002), x, y, tmp_path / "tiny", steps=20)
    assert "poor_initialization" in {f.problem for f in diagnosis.findings if f.severity.rank}


def test_raw_inputs_come_before_the_units_they_kill(tmp_path):
    x, y = _data(scale=1000.0)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
    _, diagnosis = _train(model, x, y, tmp_path / "raw", lr=0.05)
    flagged = [f.problem for f in diagnosis.findings if f.severity.rank]
    assert "unnormalized_inputs" in flagged, flagged
    if "dead_units" in flagged:
        assert flagged.index("unnormalized_inputs") < flagged.index("dead_units"), flagged
        dead = next(f for f in diagnosis.findings if f.problem == "dead_units")
        assert dead.caused_by == "unnormalized_inputs"
