"""A loss written by hand calls no loss function: ((pred - r) ** 2).mean() on raw tensors with
Adam (fresh5 corpus: a matrix factorisation whose held-out MSE climbed from 0.486 to 0.572 read
"✔ healthy", with nothing but gradients recorded). The tensor backward() starts from is the
training objective: it is the train loss then; a printed `val_mse=` is the eval loss of a
regression (with both, that case's overfitting is found: `python benchmarks/corpus.py
overfitting_mf`); and a run whose loss nobody saw is not judged, never healthy. Real small
trainings under `traindx run`."""
from __future__ import annotations

from conftest import json_tail, traindx

MF = '''
import sys, torch
torch.manual_seed(0)
users, items, k = 40, 30, {k}
u = torch.randint(0, users, (1200,)); i = torch.randint(0, items, (1200,))
true_u, true_i = torch.randn(users, 3), torch.randn(items, 3)
r = (true_u[u] * true_i[i]).sum(1) / 3 ** 0.5 + 0.3 * torch.randn(1200)
tr, va = slice(0, 900), slice(900, 1200)
P = (0.1 * torch.randn(users, k)).requires_grad_(); Q = (0.1 * torch.randn(items, k)).requires_grad_()
opt = torch.optim.Adam([P, Q], lr=0.01)
for epoch in range(30):
    for b in torch.arange(900)[torch.randperm(900)].split(50):
        pred = (P[u[b]] * Q[i[b]]).sum(1)
        loss = ((pred - r[b]) ** 2).mean() + {l2} * (P.pow(2).sum() + Q.pow(2).sum()) / 900
        opt.zero_grad()
        {backward}
        opt.step()
    with torch.no_grad():
        val = (((P[u[va]] * Q[i[va]]).sum(1) - r[va]) ** 2).mean().item()
        trm = (((P[u[tr]] * Q[i[tr]]).sum(1) - r[tr]) ** 2).mean().item()
    print(f"[{{epoch + 1:02d}}] train_mse={{trm:.4f}} val_mse={{val:.4f}}")
'''


def _run(tmp_path, name, **fmt):
    script = tmp_path / f"{name}.py"
    script.write_text(MF.format(**{"k": 32, "l2": 0.0, "backward": "loss.backward()", **fmt}))
    proc = traindx("run", "--out", str(tmp_path / name), "--format", "json", str(script))
    assert proc.returncode == 0, proc.stderr
    return json_tail(proc.stdout)


def test_a_hand_written_loss_is_the_train_loss(tmp_path):
    doc = _run(tmp_path, "mf", k=3)
    assert {"train_loss", "eval_loss"} <= set(doc["run"]["signals"])
    from traindx.runs import load_runs
    run = load_runs(tmp_path / "mf")[0]
    train, val = run.series("train_loss"), run.series("eval_loss")
    assert len(train) == doc["run"]["steps"] == 30 * 18  # one point per step: what backward() ran on
    assert train.values[:18].mean() > 3 * train.values[-18:].mean()  # the fit, from ~1.1 to ~0.1
    assert len(val) == 30 and abs(val.values[-1] - 0.15) < 0.05  # the printed val_mse
    assert any(loss["name"] == "backward" for loss in run.meta["losses"])
    assert doc["verdict"] == "healthy", doc["findings"]


def test_a_run_whose_loss_nobody_saw_is_not_judged(tmp_path):
    # torch.autograd.backward(...) directly: neither a loss function nor Tensor.backward ran
    doc = _run(tmp_path, "unseen", backward="torch.autograd.backward(loss)")
    assert "train_loss" not in doc["run"]["signals"]
    assert doc["verdict"] == "not judged"
    assert any("no train loss was recorded" in r for r in doc["not_judged_reasons"])
