"""What the seen corpus sets showed about reading evidence in its context, each with a real small
training (or the curves a log gives): dead units in a model that learned its task are a note; a
model whose held-out accuracy climbed is not non-converging whatever its mixup train loss does;
layers starved by vanishing gradients say nothing of the learning rate; [0, 1] pixels with blank
borders are not unnormalised; a loss near zero that ends 3x its best is noise, not a rebound."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import traindx
from traindx.api import diagnose_path
from traindx.diagnose import diagnose
from traindx.runs.model import Run, Series


def _findings(path) -> dict:
    ((_, diagnosis, _),) = diagnose_path(path)
    return {f.problem: f for f in diagnosis.findings}


def _train(model, x, y, out, steps=150, opt=None):
    opt = opt or torch.optim.Adam(model.parameters(), lr=3e-3)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(steps):
            i = torch.randint(0, len(x), (64,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return w.path


def _half_dead_mlp():
    """70% of the first hidden layer killed at initialisation (a bias far below any input)."""
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 4))
    with torch.no_grad():
        model[0].bias[:45] = -50.0
    return model


@pytest.mark.slow
def test_dead_units_in_a_model_that_learned_its_task_are_a_note(tmp_path):
    torch.manual_seed(0)
    x = torch.randn(1024, 10)
    y = x[:, :4].argmax(1)  # learnable with the 19 live units
    learned = _findings(_train(_half_dead_mlp(), x, y, tmp_path / "learned"))["dead_units"]
    assert learned.severity.value == "info", learned.summary
    assert "learned its task anyway" in learned.summary
    # the same dead layer where the model cannot learn (labels unrelated to the inputs): a warning
    y_noise = torch.randint(0, 4, (1024,))
    stuck = _findings(_train(_half_dead_mlp(), x, y_noise, tmp_path / "noise"))["dead_units"]
    assert stuck.severity.value == "warning", stuck.summary


@pytest.mark.slow
def test_layers_starved_by_vanishing_gradients_are_not_a_too_low_lr(tmp_path):
    torch.manual_seed(0)
    x = torch.randn(1024, 16)
    y = (x[:, 0] * x[:, 1] > 0).long()
    layers = [nn.Linear(16, 32), nn.Sigmoid()]
    for _ in range(9):
        layers += [nn.Linear(32, 32), nn.Sigmoid()]
    deep = nn.Sequential(*layers, nn.Linear(32, 2))
    found = _findings(_train(deep, x, y, tmp_path / "deep", opt=torch.optim.SGD(deep.parameters(), lr=0.1)))
    assert "vanishing_gradients" in found
    assert "learning_rate_too_low" not in found, found["learning_rate_too_low"].summary
    # a shallow model whose every layer crawls at a tiny lr still is one
    shallow = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 2))
    found = _findings(_train(shallow, x, y, tmp_path / "tiny_lr", steps=300,
                             opt=torch.optim.SGD(shallow.parameters(), lr=1e-5)))
    assert "learning_rate_too_low" in found


def _sprites(n=512):
    """16x16 images in [0, 1] (flattened): a bright square with a soft glow around it; far from
    it the glow fades to ~1e-20, so the corner pixels are near-constant features, not a scale."""
    g = torch.Generator().manual_seed(0)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    img = torch.zeros(n, 16, 16)
    y = torch.randint(0, 2, (n,), generator=g)
    centre = torch.randint(5, 11, (n, 2), generator=g)
    for i in range(n):
        r, c = centre[i].tolist()
        size = 1 + int(y[i])
        img[i, r - size:r + size, c - size:c + size] = 1.0
    glow = torch.exp(-((yy - centre[:, :1, None]) ** 2 + (xx - centre[:, 1:, None]) ** 2) / 4.0)
    return torch.clamp(img + glow, 0, 1).reshape(n, -1), y


@pytest.mark.slow
def test_pixels_in_0_1_with_blank_borders_are_not_unnormalised(tmp_path):
    torch.manual_seed(0)
    x, y = _sprites()
    model = nn.Sequential(nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 2))
    assert "unnormalized_inputs" not in _findings(_train(model, x, y, tmp_path / "pixels"))
    # one extra feature in raw units (a count in the thousands): the spread is a scale again
    raw = torch.cat([x, 1000 + 300 * torch.randn(len(x), 1)], 1)
    model = nn.Sequential(nn.Linear(257, 64), nn.ReLU(), nn.Linear(64, 2))
    found = _findings(_train(model, raw, y, tmp_path / "raw", opt=torch.optim.SGD(model.parameters(), lr=1e-6)))
    assert "unnormalized_inputs" in found


def _curves(train_loss, eval_acc=None, prior=None) -> Run:
    steps = np.arange(1, len(train_loss) + 1)
    run = Run(path="metrics.csv", source_format="csv")
    run.scalars["train_loss"] = Series(steps, np.asarray(train_loss, dtype=float))
    if eval_acc is not None:
        e = np.linspace(1, len(train_loss), len(eval_acc)).astype(int)
        run.scalars["eval_acc"] = Series(e, np.asarray(eval_acc, dtype=float))
    if prior is not None:
        run.labels["train_counts"] = list(prior)
    return run


def test_a_model_whose_held_out_accuracy_climbed_is_not_non_converging():
    """Mixup keeps the train loss on mixed targets high; it may even end above its start while
    the held-out accuracy climbs from 65% to 92% (chance 25%)."""
    rng = np.random.default_rng(0)
    mixup = 1.35 + 0.1 * np.linspace(0, 1, 300) + 0.15 * rng.standard_normal(300)
    climbing = np.r_[np.linspace(0.65, 0.92, 10), 0.925, 0.925, 0.925]
    found = {f.problem for f in diagnose(_curves(mixup, climbing, [100] * 4)).findings}
    assert "non_convergence" not in found
    flat = 0.25 + 0.01 * rng.standard_normal(13)  # the same train loss, held-out at chance
    found = {f.problem for f in diagnose(_curves(mixup, flat, [100] * 4)).findings}
    assert "non_convergence" in found


def test_a_loss_near_zero_that_ends_above_its_best_has_not_rebounded():
    from traindx.diagnose.detectors.learning_rate import _rebound
    rng = np.random.default_rng(0)
    fall = 0.02 + 1.38 * np.exp(-np.arange(250) / 30)  # tiny batches: down to 0.02 ...
    late = 0.06 * rng.exponential(1.0, 150)  # ... then batches around 0.06, one now and then at 0.3
    ratio, given_back = _rebound(Series(np.arange(1, 401), np.r_[fall, late]))
    assert ratio > 1.5 and given_back < 0.1  # 2x a tiny best is a few percent of the fall
    # a warm-up that peaks too high: down from 2.3 to 0.5, back up to 0.9
    shape = np.r_[np.linspace(2.3, 0.5, 200), np.linspace(0.5, 0.9, 200)]
    ratio, given_back = _rebound(Series(np.arange(1, 401), shape))
    assert ratio >= 1.5 and given_back >= 0.1


def test_a_train_loss_rebound_that_the_eval_loss_does_not_share_is_not_a_too_high_lr():
    """Large steps (0.06 of the weights' norm) and a train loss of tiny batches that ends well
    above its best: a too-high lr only when the held-out loss also got worse again."""
    from traindx.runs.model import LayerTable
    rng = np.random.default_rng(0)
    steps = np.arange(1, 401)
    fall = 0.05 + 1.35 * np.exp(-steps / 40.0)
    train = np.r_[fall[:250], 0.3 + 0.1 * rng.exponential(1.0, 150)]  # climbs back to ~0.4

    def run_with(eval_loss):
        run = _curves(train)
        rows = steps[::10]
        run.params = LayerTable(rows, ["fc1.weight", "fc2.weight"], {
            "update_ratio": np.full((len(rows), 2), 0.06), "grad_norm": np.full((len(rows), 2), 0.1),
            "weight_norm": np.full((len(rows), 2), 5.0)})
        e = np.linspace(1, 400, len(eval_loss)).astype(int)
        run.scalars["eval_loss"] = Series(e, np.asarray(eval_loss, dtype=float))
        return {f.problem for f in diagnose(run).findings}

    assert "learning_rate_too_high" not in run_with([1.0, 0.6, 0.45, 0.4, 0.38, 0.37, 0.37, 0.36])
    assert "learning_rate_too_high" in run_with([1.0, 0.6, 0.45, 0.4, 0.5, 0.6, 0.65, 0.7])


def _regress(lr, out):
    """A target with a large offset (5) and a non-linear link to the inputs: the offset is fitted
    within a few dozen steps at any lr, the link only at a sound one."""
    torch.manual_seed(0)
    x = torch.randn(1024, 8)
    y = 5 + x[:, :1] * torch.sin(2 * x[:, 1:2]) * 2 + 0.3 * torch.randn(1024, 1)
    model = nn.Sequential(nn.Linear(8, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 1))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(400):
            i = torch.randint(0, 1024, (64,))
            loss = F.mse_loss(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return w.path


@pytest.mark.slow
def test_a_regression_that_learned_only_the_targets_mean_has_not_converged(tmp_path):
    """Its loss fell 90% (27 -> 2.9), all of it the offset: it ends at the targets' variance, the
    squared error of predicting their mean (a regression's chance level, recorded under MSE)."""
    found = _findings(_regress(3e-4, tmp_path / "slow"))
    assert "non_convergence" in found and "targets' mean" in found["non_convergence"].summary
    assert "non_convergence" not in _findings(_regress(3e-2, tmp_path / "sound"))


def _imbalanced(weights, out):
    """9:1 labels whose rare class needs a feature the common one lacks; trained with or without
    class weights in the loss."""
    torch.manual_seed(0)
    x = torch.randn(2000, 6)
    y = ((x[:, 0] + 0.5 * x[:, 1]) > 1.3).long()  # ~10% positives
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 2))
    loss_fn = nn.CrossEntropyLoss(weight=weights)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with traindx.watch(out=out, alerts=False) as w:
        for _ in range(200):
            i = torch.randint(0, 2000, (64,))
            loss = loss_fn(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    ((_, diagnosis, plan),) = diagnose_path(w.path)
    return {f.problem: f for f in diagnosis.findings}, plan


@pytest.mark.slow
def test_a_loss_that_already_weighs_the_classes_is_not_advised_to(tmp_path):
    found, plan = _imbalanced(torch.tensor([1.0, 9.0]), tmp_path / "weighted")
    assert "non_convergence" not in found
    imbalance = found.get("class_imbalance")
    assert imbalance is None or imbalance.evidence["weighted_loss"]
    assert not any("Weight the loss" in item.action for item in plan)
    # the same data without weights: the rare class is recalled 22% of the time, and weights help
    found, plan = _imbalanced(None, tmp_path / "plain")
    assert found["class_imbalance"].severity.value == "warning"
    assert any("Weight the loss" in item.action for item in plan)



def _classifier(init_std, out):
    torch.manual_seed(0)
    x = torch.randn(1024, 20)
    y = x[:, :10].argmax(1)
    model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))
    if init_std is not None:
        for layer in (model[0], model[2]):
            nn.init.normal_(layer.weight, std=init_std)
    return _findings(_train(model, x, y, out, steps=60))


@pytest.mark.slow
def test_a_classifier_that_starts_confidently_wrong_is_poorly_initialised(tmp_path):
    """Unit-normal weights in a 256-wide layer: the loss before any update is many times ln(10),
    the loss of a model as uncommitted as a fresh one should be; the default init starts there."""
    bad = _classifier(1.0, tmp_path / "unit_std").get("poor_initialization")
    assert bad is not None and bad.evidence["criterion"] == "loss_at_init"
    assert bad.evidence["initial_loss"] >= 3 * bad.evidence["uncommitted_loss"]
    assert "poor_initialization" not in _classifier(None, tmp_path / "default")


def test_an_epoch_logs_first_eval_is_not_an_untrained_model():
    """A Keras regression log: after one epoch the eval loss is already 0.0226; it stalls at 0.0178
    near its noise floor while the train loss dips to 0.011. Against that first point the eval
    looks "58% of the way back up to untrained"; it was never untrained."""
    train = np.r_[0.03, 0.022, np.linspace(0.018, 0.011, 15)]
    ev = np.r_[0.0226, 0.019, np.full(15, 0.0178)]
    run = Run(path="house_prices_log.csv", source_format="keras", meta={"x_axis": "epoch"})
    epochs = np.arange(1, 18)
    run.scalars["train_loss"] = Series(epochs, train)
    run.scalars["eval_loss"] = Series(epochs, ev)
    assert "overfitting" not in {f.problem for f in diagnose(run).findings}
    run.meta["x_axis"] = "step"  # the same curves from a run's first steps: the first eval is early
    assert "overfitting" in {f.problem for f in diagnose(run).findings}


def test_an_epoch_log_flat_from_its_first_point_is_a_note_unless_accuracy_says_stuck():
    """A loss flat from epoch 1 to 30 converged within the first epoch or never moved: with no
    accuracy logged that is a note; with an accuracy stuck low it is a warning."""
    run = Run(path="history.json", source_format="skorch", meta={"x_axis": "epoch"})
    epochs = np.arange(1, 31)
    run.scalars["train_loss"] = Series(epochs, 1.38 - 0.0003 * epochs)
    found = {f.problem: f for f in diagnose(run).findings}
    assert found["non_convergence"].severity.value == "info"
    run.scalars["eval_acc"] = Series(epochs, np.full(30, 0.35))
    found = {f.problem: f for f in diagnose(run).findings}
    assert found["non_convergence"].severity.value == "warning"
