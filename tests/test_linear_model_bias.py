"""high_bias without a Bayes error: a linear model (one trained weight layer), or a model held back by
frozen layers or a weight decay (constrained_model_bias), that cannot fit its
own training data, its loss flat, is the textbook avoidable bias (fresh5 corpus: 0 of 5 such cases
found at first contact, each read only as "non-converging" with no cause). Real small trainings:
logistic regression on concentric rings (cannot be separated by a line), the same data with one
hidden layer, and logistic regression on data a line does separate."""
from __future__ import annotations

import math

import torch
from torch import nn

import traindx
from traindx.api import diagnose_path


def _rings(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.randint(0, 3, (n,), generator=g)
    angle = torch.rand(n, generator=g) * 2 * math.pi
    radius = 1.0 + y.float() + 0.1 * torch.randn(n, generator=g)
    return torch.stack([radius * angle.cos(), radius * angle.sin()], 1) / 2, y


def _fit(model, x, y, out, epochs=30):
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(epochs):
            for i in torch.randperm(len(x)).split(64):
                logits = model(x[i])
                loss = nn.functional.cross_entropy(logits, y[i])
                traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                opt.zero_grad()
                loss.backward()
                opt.step()
    ((run, diagnosis, _),) = diagnose_path(w.path)
    return diagnosis


def test_a_linear_model_on_rings_is_high_bias_and_the_cause_of_its_plateau(tmp_path):
    torch.manual_seed(0)
    x, y = _rings(1200, torch.Generator().manual_seed(0))
    diagnosis = _fit(nn.Linear(2, 3), x, y, tmp_path / "linear")
    first = diagnosis.findings[0]
    assert first.problem == "high_bias" and first.severity.rank >= 1, diagnosis.findings
    assert "linear model" in first.summary and first.evidence["share"] > 0.5
    later = {f.problem: f for f in diagnosis.findings}
    if "non_convergence" in later:  # the plateau is the linear model's doing
        assert later["non_convergence"].caused_by == "high_bias"

    torch.manual_seed(0)  # the control: one hidden layer fits the rings
    mlp = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 3))
    assert "high_bias" not in {f.problem for f in _fit(mlp, x, y, tmp_path / "mlp").findings}


def test_a_linear_model_on_separable_data_is_not_high_bias(tmp_path):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(1200, 2, generator=g)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).long()
    assert "high_bias" not in {f.problem for f in _fit(nn.Linear(2, 2), x, y, tmp_path / "sep").findings}


def test_linear_layers_stacked_without_an_activation_are_one_linear_map(tmp_path):
    """Three Linear layers and no activation between them (fresh6: Keras Dense layers whose
    activations were forgotten) are one linear map: high_bias on the rings, as one layer is; the
    same stack with a ReLU (a module reused after each layer, or F.relu called in forward) is not."""
    torch.manual_seed(0)
    x, y = _rings(1200, torch.Generator().manual_seed(0))
    stack = nn.Sequential(nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 3))
    diagnosis = _fit(stack, x, y, tmp_path / "stack")
    bias = next(f for f in diagnosis.findings if f.problem == "high_bias")
    assert len(bias.evidence["trained_weight_layers"]) == 3 and "one linear map" in bias.summary

    class Reused(nn.Module):  # one ReLU module applied after each hidden layer
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2, self.head, self.act = nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 3), nn.ReLU()

        def forward(self, h):
            return self.head(self.act(self.fc2(self.act(self.fc1(h)))))

    class Functional(nn.Module):  # F.relu called in forward, no activation module at all
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2, self.head = nn.Linear(2, 64), nn.Linear(64, 64), nn.Linear(64, 3)

        def forward(self, h):
            return self.head(nn.functional.relu(self.fc2(nn.functional.relu(self.fc1(h)))))

    from traindx.diagnose.detectors.bayes_gap import _linear_stack
    from traindx.runs import load_runs
    assert _linear_stack(load_runs(tmp_path / "stack")[0])
    for name, model in (("reused", Reused()), ("functional", Functional())):
        torch.manual_seed(0)
        found = {f.problem for f in _fit(model, x, y, tmp_path / name).findings}
        assert "high_bias" not in found, (name, found)
        assert not _linear_stack(load_runs(tmp_path / name)[0]), name  # the ReLUs are seen


def _mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))


def _fit_with(model, x, y, out, opt, epochs=30):
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(epochs):
            for i in torch.randperm(len(x)).split(64):
                logits = model(x[i])
                loss = nn.functional.cross_entropy(logits, y[i])
                traindx.log(train_acc=(logits.argmax(1) == y[i]).float().mean())
                opt.zero_grad()
                loss.backward()
                opt.step()
    ((run, diagnosis, plan),) = diagnose_path(w.path)
    return diagnosis, plan


def test_a_model_held_back_by_frozen_layers_or_weight_decay_is_high_bias(tmp_path):
    """fresh7/fresh8: an MLP whose hidden layers were left frozen at random (a fine-tuning recipe
    with no checkpoint), or whose weight decay was typed 100x too large, cannot fit the rings: the
    constraint is named, it heads the story (non_convergence is its effect) and the plan removes it
    first. The control, the same MLP trained whole at a sane decay, fits them."""
    g = torch.Generator().manual_seed(0)  # three balanced classes of a non-linear score of 16 inputs
    x16 = torch.randn(1200, 16, generator=g)
    score = torch.sin(2 * x16[:, 0]) + x16[:, 1] * x16[:, 2] + torch.cos(x16[:, 3] * x16[:, 4])
    y16 = torch.bucketize(score, score.quantile(torch.tensor([1 / 3, 2 / 3])))
    for frozen in (True, False):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
        if frozen:
            for layer in (model[0], model[2]):
                layer.requires_grad_(False)
        diagnosis, plan = _fit_with(model, x16, y16, tmp_path / f"frozen{frozen}",
                                    torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-2))
        if not frozen:  # the control: the same MLP trained whole fits it
            assert "high_bias" not in {f.problem for f in diagnosis.findings}
            break
        bias = diagnosis.findings[0]
        assert bias.problem == "high_bias" and bias.evidence["constraint"] == "frozen", diagnosis.findings
        assert all(f.caused_by == "high_bias" for f in diagnosis.findings if f.problem == "non_convergence")
        assert plan[0].action.startswith("Train the frozen layers")
    x, y = _rings(1200, torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    decayed = _mlp()
    diagnosis, plan = _fit_with(decayed, x, y, tmp_path / "decay",
                                torch.optim.SGD(decayed.parameters(), lr=0.05, momentum=0.9, weight_decay=0.1))
    bias = next(f for f in diagnosis.findings if f.problem == "high_bias")
    assert bias.evidence["constraint"] == "weight_decay" and bias.evidence["weight_norm_end_over_start"] < 0.5
    assert plan[0].action.startswith("Lower the weight decay (from 0.1")
    torch.manual_seed(0)
    whole = _mlp()
    diagnosis, _ = _fit_with(whole, x, y, tmp_path / "control",
                             torch.optim.SGD(whole.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4))
    assert "high_bias" not in {f.problem for f in diagnosis.findings}


def test_a_dropout_that_drops_most_units_is_measured_and_named(tmp_path):
    """Dropout(0.9) after each hidden layer: the drop rate is measured from the outputs (zeros beyond
    those of the ReLU before it), and the poor, flat fit names it as the constraint."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1200, 16, generator=g)
    score = torch.sin(2 * x[:, 0]) + x[:, 1] * x[:, 2] + torch.cos(x[:, 3] * x[:, 4])
    y = torch.bucketize(score, score.quantile(torch.tensor([1 / 3, 2 / 3])))
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Dropout(0.9), nn.Linear(32, 32), nn.ReLU(),
                          nn.Dropout(0.9), nn.Linear(32, 3))
    diagnosis, _ = _fit_with(model, x, y, tmp_path / "dropout", torch.optim.Adam(model.parameters(), lr=1e-2),
                             epochs=40)
    bias = next(f for f in diagnosis.findings if f.problem == "high_bias")
    assert bias.evidence["constraint"] == "dropout" and abs(bias.evidence["dropout_rate"] - 0.9) < 0.03
