"""The Python API: `with traindx.watch(model, optimizer, out=...) as w: ... w.log(...)`."""
import torch
from torch import nn

import traindx
from traindx.runs import load_runs


def test_watch_records_a_training_and_user_metrics(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = torch.randn(256, 6), torch.randint(0, 3, (256,))
    with traindx.watch(model, opt, out=tmp_path / "run") as w:
        for step in range(1, 31):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 10 == 0:
                w.log(step, val_loss=loss.item() * 1.1, val_acc=0.5)
    run = load_runs(tmp_path / "run")[0]
    assert run.ended == "completed" and run.steps == 30
    assert len(run.series("train_loss")) == 30
    assert list(run.series("eval_loss").steps) == [10, 20, 30]  # val_loss is eval_loss
    assert run.params.layers == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert {"grad_norm", "update_ratio", "weight_norm"} <= set(run.params.stats)
    assert run.activations is not None and "1" in run.activations.layers
    assert run.activations.kinds["1"] == "ReLU"


def test_watch_restores_torch_and_never_overwrites(tmp_path):
    import torch.nn.functional as F
    original = F.cross_entropy
    model = nn.Linear(2, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(2):
        with traindx.watch(model, opt, out=tmp_path / "same"):
            loss = F.cross_entropy(model(torch.randn(4, 2)), torch.tensor([0, 1, 0, 1]))
            loss.backward()
            opt.step()
    assert F.cross_entropy is original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same", "same-2"]


def test_watch_marks_an_exception(tmp_path):
    model = nn.Linear(2, 1)
    try:
        with traindx.watch(model, out=tmp_path / "r"):
            raise ValueError("oops")
    except ValueError:
        pass
    assert load_runs(tmp_path / "r")[0].ended == "exception"


def test_log_outside_a_recording_is_a_no_op(capsys, monkeypatch):
    import traindx.api
    monkeypatch.setattr(traindx.api, "_warned", [])  # said once per process: reset for this test
    traindx.log(val_loss=1.0)
    assert "no active recording" in capsys.readouterr().err
