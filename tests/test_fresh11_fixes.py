"""Classes of error found while the fresh11 corpus was being written, each on a real small
training with its control: a model trained after another one that was left in eval mode (its
training losses were read as evaluation, its labels as the first model's), and a fine-tune that
starts far below the chance level at a deliberately low lr (read as a crawl and a plateau)."""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

import traindx
from traindx.api import diagnose_path


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


def _task(n, classes, seed):
    """Gaussian blobs in 10-d, one per class: learnable, not trivially."""
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(classes, 10, generator=torch.Generator().manual_seed(99)) * 1.5
    y = torch.randint(0, classes, (n,), generator=g)
    return centers[y] + torch.randn(n, 10, generator=g), y


def _evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        return F.cross_entropy(model(x), y).item()


def _fit(model, opt, x, y, steps, x_val, y_val, seed=0):
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        model.train()
        i = torch.randint(0, len(x), (32,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x[i]), y[i]).backward()
        opt.step()
        if step % 10 == 9:
            _evaluate(model, x_val, y_val)  # leaves the model in eval mode


def test_a_second_models_training_is_not_read_as_evaluation(tmp_path):
    """Pre-training on 20 classes, then a new 4-class model over the same encoder; the first model
    stays in eval mode after its last evaluation. The second training's losses are its training
    (its own label counts, 4 classes; each evaluation pass counted once)."""
    x, y = _task(1024, 20, 0)
    xv, yv = _task(256, 20, 1)
    torch.manual_seed(0)
    encoder = nn.Sequential(nn.Linear(10, 32), nn.ReLU())
    source = nn.Sequential(encoder, nn.Linear(32, 20))
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        _fit(source, torch.optim.Adam(source.parameters(), 1e-3), x, y, 100, xv, yv)
        target = nn.Sequential(encoder, nn.Linear(32, 4))
        _fit(target, torch.optim.Adam(target.parameters(), 1e-3), x, y % 4, 100, xv, yv % 4)
    run, _ = _diagnose(w.path)
    assert run.meta["phase"][0] > 100  # the second training is the one diagnosed
    assert len(run.labels["train_counts"]) == 4, run.labels  # not the pre-training's 20 classes
    assert sum(run.labels["eval_counts"]) == len(yv)  # one evaluation pass, not all of them
    train = run.series("train_loss")
    assert train is not None and len(train.finite()) >= 50


def test_a_fine_tune_that_starts_below_the_chance_level_is_not_a_crawl(tmp_path):
    """Pre-train, probe a new head, then fine-tune the whole net at lr 3e-5 (by design: small
    steps, a loss that barely moves because it starts far below ln 4). Control: the same lr from
    scratch, where the loss starts at the chance level and crawls."""
    x, y = _task(1024, 20, 0)
    xt, yt = _task(512, 4, 2)
    xv, yv = _task(256, 4, 3)
    found = {}
    for name in ("fine_tune", "from_scratch"):
        torch.manual_seed(0)
        encoder = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU())
        head = nn.Linear(32, 4)
        model = nn.Sequential(encoder, head)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            if name == "fine_tune":
                source = nn.Sequential(encoder, nn.Linear(32, 20))
                _fit(source, torch.optim.Adam(source.parameters(), 3e-3), x, y, 150, x[:256], y[:256])
                _fit(model, torch.optim.Adam(head.parameters(), 1e-2), xt, yt, 100, xv, yv)
            _fit(model, torch.optim.AdamW(model.parameters(), 3e-5), xt, yt, 300, xv, yv, seed=1)
        _, found[name] = _diagnose(w.path)
    for problem in ("learning_rate_too_low", "non_convergence"):
        assert problem not in found["fine_tune"], found["fine_tune"][problem].summary
    assert "learning_rate_too_low" in found["from_scratch"]  # the same lr where learning starts
