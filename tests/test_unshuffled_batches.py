"""Data sorted by class and never shuffled (fresh8 corpus: read as a too-high learning rate and a
class imbalance at first contact). Each training batch is one class; the model chases the class of
the moment. Real small trainings: the same data and model with shuffle=False on sorted rows, and
with shuffle=True."""
from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import traindx
from traindx.api import diagnose_path


def _sorted_blobs(n: int = 1500, classes: int = 5) -> TensorDataset:
    g = torch.Generator().manual_seed(0)
    centres = 1.5 * torch.randn(classes, 8, generator=g)
    y = torch.randint(0, classes, (n,), generator=g).sort().values  # rows grouped by class
    return TensorDataset(centres[y] + torch.randn(n, 8, generator=g), y)


def _fit(shuffle: bool, out):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loader = DataLoader(_sorted_blobs(), batch_size=50, shuffle=shuffle,
                        generator=torch.Generator().manual_seed(0))
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(8):
            for x, y in loader:
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
    ((run, diagnosis, plan),) = diagnose_path(w.path)
    return diagnosis, plan


def test_class_sorted_batches_are_named_and_shuffling_is_the_fix(tmp_path):
    diagnosis, plan = _fit(False, tmp_path / "sorted")
    found = {f.problem: f for f in diagnosis.findings}
    assert found["non_convergence"].evidence["criterion"] == "unshuffled", diagnosis.findings
    assert found["non_convergence"].evidence["batch_purity"] >= 0.9
    assert diagnosis.findings[0].problem == "non_convergence"  # the root: the data's order
    assert plan[0].action.startswith("Shuffle") and "shuffle=True" in plan[0].snippet
    # the sampled batches' labels are where the sampling fell, not the data's balance
    assert "class_imbalance" not in found or found["class_imbalance"].severity.rank == 0


def test_shuffled_batches_of_the_same_data_are_not(tmp_path):
    diagnosis, _ = _fit(True, tmp_path / "shuffled")
    assert not any(f.evidence.get("criterion") == "unshuffled" for f in diagnosis.findings)
    assert "non_convergence" not in {f.problem for f in diagnosis.findings}, diagnosis.findings


def test_sorted_batches_stay_the_root_when_their_swings_kill_units():
    """fresh18: sorted batches swung the steps (a too-high lr read from them) and the swings
    killed 98% of a ReLU layer's units; dead units that many can explain a model that learns
    nothing, so the story ran in a circle (dead units -> lr -> sorted batches -> dead units) and
    put the dead units first. The data's order is a root: nothing the training did sorted it."""
    from traindx.diagnose.finding import Finding, Severity
    from traindx.diagnose.story import order

    found = [Finding("dead_units", Severity.ERROR, "98% dead", {"worst_dead_fraction": 0.98},
                     {"error_frac": 0.9}),
             Finding("learning_rate_too_high", Severity.ERROR, "steps 0.07", {"criterion": "step_size"}),
             Finding("non_convergence", Severity.ERROR, "sorted", {"criterion": "unshuffled"})]
    story = order(found)
    assert [f.problem for f in story] == ["non_convergence", "learning_rate_too_high", "dead_units"]
    assert story[0].caused_by is None
