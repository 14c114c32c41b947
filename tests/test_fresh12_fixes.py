"""Classes of error of the fresh12 round, each on a real small training with its control: a loop
whose optimiser step is never reached (an accumulation condition that is never true: read as "no
training step", not judged, instead of a model that never trained)."""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

import traindx
from traindx.api import diagnose_path


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


def _blobs(n, seed):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(3, 8, generator=torch.Generator().manual_seed(7)) * 2
    y = torch.randint(0, 3, (n,), generator=g)
    return centers[y] + torch.randn(n, 8, generator=g), y


def _accumulating(every: int, modulus: int):
    """Gradient accumulation that steps when `(i + 1) % modulus == every`: with every == modulus
    (the planted typo) the step is never reached; with every == 0 it runs each `modulus` batches."""
    x, y = _blobs(512, 0)
    xv, yv = _blobs(128, 1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def train():
        for epoch in range(5):
            for i in range(0, 512, 16):
                F.cross_entropy(model(x[i:i + 16]), y[i:i + 16]).backward()
                if (i // 16 + 1) % modulus == every:
                    opt.step()
                    opt.zero_grad()
            with torch.no_grad():
                F.cross_entropy(model(xv), yv)
    return train, lambda: F.cross_entropy(model(xv), yv).item()


def test_an_optimiser_step_never_reached_is_a_model_that_never_trained(tmp_path):
    results = {}
    for name, every in (("planted", 4), ("control", 0)):
        train, val_loss = _accumulating(every, 4)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            train()
        results[name] = (*_diagnose(w.path), val_loss())
    run, found, loss = results["planted"]
    control_run, control_found, control_loss = results["control"]
    assert control_loss < 0.5 * loss  # the premise: the control learns, the planted run does not
    assert run.steps == 0 and control_run.steps == 40
    f = found["non_convergence"]
    assert f.severity.value == "error" and f.evidence["criterion"] == "never_updated"
    assert f.evidence["backward_passes"] == 160 and "160 backward passes" in f.summary
    assert "non_convergence" not in control_found
