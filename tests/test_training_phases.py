"""A script that trains several models in turn — a teacher then its student, pre-training then
fine-tuning, folds — is diagnosed on the last one (fresh9 corpus: a healthy distillation and a
healthy fine-tune read as high variance and a too-high lr, the student's first loss taken for the
teacher's rebound). A fresh optimiser over the same parameters continues the same training."""
from __future__ import annotations

import torch
from torch import nn

import traindx
from traindx.api import diagnose_path


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(640, 10, generator=g)
    return x, (x[:, 0] + x[:, 1] > 0).long()


def _fit(model, opt, x, y, epochs):
    for _ in range(epochs):
        for i in torch.randperm(len(x)).split(64):
            loss = nn.functional.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()


def _mlp():
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))


def test_a_student_after_its_teacher_is_diagnosed_alone(tmp_path):
    torch.manual_seed(0)
    x, y = _data()
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        teacher = _mlp()
        _fit(teacher, torch.optim.Adam(teacher.parameters(), lr=1e-2), x, y, 5)  # 50 steps
        student = _mlp()
        _fit(student, torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9), x, y, 5)
    ((run, diagnosis, _),) = diagnose_path(w.path)
    assert run.meta["phase"] == [51, 100]
    assert run.series("train_loss").steps[0] == 51  # the student's first loss, not the teacher's
    assert run.meta["optimizers"][0]["type"] == "SGD"  # the setup line is the student's
    assert any("trained 2 models in turn" in n for n in run.notes)
    assert run.params is None or run.params.steps.min() >= 51


def test_a_fresh_optimiser_over_the_same_model_continues_its_training(tmp_path):
    torch.manual_seed(0)
    x, y = _data()
    model = _mlp()
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        for _ in range(4):  # a new optimiser each epoch, the same parameters
            _fit(model, torch.optim.Adam(model.parameters(), lr=1e-2), x, y, 1)
    ((run, _, _),) = diagnose_path(w.path)
    assert "phase" not in run.meta and run.series("train_loss").steps[0] == 1


def test_folds_of_a_loop_are_trainings_in_turn_even_when_their_memory_is_reused(tmp_path):
    """k-fold in one loop: each fold's model is freed before the next is built, whose tensors may
    take the freed ones' addresses and ids; it is still another model."""
    torch.manual_seed(0)
    x, y = _data()
    with traindx.watch(out=tmp_path / "run", alerts=False) as w:
        for _ in range(3):
            model = _mlp()
            _fit(model, torch.optim.SGD(model.parameters(), lr=0.05), x, y, 2)  # 20 steps each
            del model
    ((run, _, _),) = diagnose_path(w.path)
    assert run.meta["phase"] == [41, 60]
    assert any("trained 3 models in turn" in n for n in run.notes), run.notes
