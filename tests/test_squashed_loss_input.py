"""A loss given an input the model already squashed: nn.Softmax before CrossEntropyLoss, nn.Sigmoid
before BCEWithLogitsLoss, probabilities into nll_loss (fresh7 and fresh8 corpus: read "✔ healthy"
at first contact). Seen in the autograd graph of the loss's input, no tensor read; real small
trainings, each with its control (the same model without the extra squash)."""
from __future__ import annotations

import math

import torch
from torch import nn

import traindx
from traindx.api import diagnose_path
from traindx.record.capture import squashed_input


def _blobs(n: int, classes: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    centres = 0.6 * torch.randn(classes, 16, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    return centres[y] + torch.randn(n, 16, generator=g), y


def _fit(model, loss_fn, x, y, out, epochs=6):
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(epochs):
            for i in torch.randperm(len(x)).split(64):
                loss = loss_fn(model(x[i]), y[i])
                opt.zero_grad()
                loss.backward()
                opt.step()
    ((run, diagnosis, plan),) = diagnose_path(w.path)
    return diagnosis, plan


def _mlp(classes: int, *tail: nn.Module) -> nn.Sequential:
    return nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, classes), *tail)


def test_softmax_before_cross_entropy_is_named_with_its_floor_and_fix(tmp_path):
    x, y = _blobs(1500, 10, torch.Generator().manual_seed(0))
    torch.manual_seed(0)
    diagnosis, plan = _fit(_mlp(10, nn.Softmax(dim=1)), nn.CrossEntropyLoss(), x, y, tmp_path / "bug")
    found = {f.problem: f for f in diagnosis.findings}
    assert "non_convergence" in found, diagnosis.findings
    finding = found["non_convergence"]
    assert finding.evidence["criterion"] == "squashed_input" and finding.evidence["classes"] == 10
    assert math.isclose(finding.evidence["loss_floor"], math.log1p(9 / math.e))
    assert finding.evidence["end_loss"] > finding.evidence["loss_floor"]  # the floor is real
    assert "Softmax" in plan[0].action and "cross_entropy" in plan[0].snippet

    torch.manual_seed(0)  # the control: logits into the loss
    control, _ = _fit(_mlp(10), nn.CrossEntropyLoss(), x, y, tmp_path / "control")
    assert not any(f.evidence.get("criterion") == "squashed_input" for f in control.findings)


def test_sigmoid_before_bce_with_logits_makes_the_final_sigmoid_a_hidden_squash(tmp_path):
    x, y = _blobs(1500, 2, torch.Generator().manual_seed(1))
    bce = nn.BCEWithLogitsLoss()
    loss_fn = lambda out, t: bce(out.squeeze(1), t.float())  # noqa: E731
    torch.manual_seed(0)
    diagnosis, plan = _fit(_mlp(1, nn.Sigmoid()), loss_fn, x, y, tmp_path / "bug", epochs=10)
    found = {f.problem: f for f in diagnosis.findings}
    assert found["non_convergence"].evidence["squash"] == "sigmoid", diagnosis.findings
    assert "Sigmoid" in plan[0].action
    if "saturated_activations" in found:  # the final sigmoid, driven to its bounds, is judged
        assert found["saturated_activations"].caused_by == "non_convergence"


def test_the_graph_check_sees_through_reshapes_and_not_past_a_log():
    z = torch.randn(4, 6, 5, requires_grad=True)
    probs = z.softmax(-1)
    assert squashed_input("cross_entropy", probs.reshape(-1, 5)) == {"squash": "softmax", "classes": 5}
    assert squashed_input("nll_loss", probs.log()) is None  # log-probabilities: what nll_loss wants
    assert squashed_input("cross_entropy", z) is None
    assert squashed_input("mse_loss", probs) is None  # a loss that does not squash its input
    assert squashed_input("binary_cross_entropy_with_logits", z.sigmoid()[..., 0])["squash"] == "sigmoid"


def test_the_graph_fixes_are_not_offered_for_a_loss_that_merely_plateaued():
    from traindx.diagnose.finding import Finding, Severity
    from traindx.remedies import plan
    plateau = Finding("non_convergence", Severity.WARNING, summary="train loss fell only 3%",
                      evidence={"criterion": "small_drop"})
    actions = [item.action for item in plan([plateau])]
    assert actions and not any("Softmax" in a or "Sigmoid" in a or "Shuffle" in a for a in actions)
