"""Loops that update their parameters by hand, with no torch.optim optimiser (issue 17, 5): a step
is one backward pass, seen through post-accumulate-grad hooks (or the gradients
torch.autograd.grad hands back), so such a run is recorded and judged instead of reading
"healthy: 0 steps", with a loss function or a loss written by hand (the "What is torch.nn
really?" tutorial; fresh3: a from-scratch MLP on torch.autograd.grad read "not judged");
loops with an optimiser are not affected."""
from __future__ import annotations

import json
import textwrap

import pytest
from conftest import json_tail, traindx

from traindx.runs import load_runs

MANUAL = textwrap.dedent('''
    import sys
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    lr, style = float(sys.argv[1]), sys.argv[2]
    x = torch.randn(512, 10)
    y = (x @ torch.randn(10, 1) > 0).float().squeeze(1)
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    params = list(model.parameters())
    if style == "raw":  # no nn.Module at all: hand-made weight tensors
        w1 = (torch.randn(10, 32) * 0.3).requires_grad_()
        w2 = (torch.randn(32, 1) * 0.2).requires_grad_()
        params = [w1, w2]
    for step in range(120):
        i = torch.randint(0, 512, (32,))
        out = torch.relu(x[i] @ w1) @ w2 if style == "raw" else model(x[i])
        if style == "handloss":  # no loss function: the objective written out by hand
            z = out.squeeze(1)
            loss = (z.clamp(min=0) - z * y[i] + torch.log1p(torch.exp(-z.abs()))).mean()
        else:
            loss = F.binary_cross_entropy_with_logits(out.squeeze(1), y[i])
        if style == "grad":  # gradients as values: no backward(), nothing in .grad
            grads = torch.autograd.grad(loss, (p for p in params))  # (a generator, read once)
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p -= lr * g
            continue
        loss.backward()
        with torch.no_grad():
            for p in params:
                if style == "data":
                    p.data.add_(p.grad, alpha=-lr)
                else:
                    p -= lr * p.grad
                p.grad = None
    print("done")
''')

ACCUMULATE = textwrap.dedent('''
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    x, y = torch.randn(512, 10), torch.randint(0, 3, (512,))
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for step in range(40):
        for k in range(4):  # four backward passes per optimiser step
            i = torch.randint(0, 512, (16,))
            (F.cross_entropy(model(x[i]), y[i]) / 4).backward()
        opt.step()
        opt.zero_grad()
''')


def _run(tmp_path, source, *args):
    script = tmp_path / "train.py"
    script.write_text(source, encoding="utf-8")
    out = tmp_path / ("run-" + "-".join(args or ("x",)))
    proc = traindx("run", "--out", str(out), "--format", "json", str(script), *args)
    return proc, load_runs(out)[0], json.loads((out / "report.json").read_text())


@pytest.mark.parametrize("style", ["sub", "data", "raw", "handloss", "grad"])
def test_a_hand_written_update_is_recorded_step_by_step(tmp_path, style):
    proc, run, doc = _run(tmp_path, MANUAL, "0.1", style)
    assert proc.returncode == 0, proc.stderr
    assert run.steps == 120 and doc["verdict"] == "healthy", doc
    tr = run.series("train_loss")
    assert list(tr.steps) == list(range(1, 121))
    assert tr.values[-10:].mean() < 0.7 * tr.values[:10].mean()  # it learned, and we saw it
    assert len(run.series("grad_norm")) == 120
    ur = run.params.get("update_ratio")
    assert ur is not None and (ur[0] > 0).all()  # the first step's update was measured
    assert any("updates its parameters by hand" in n for n in run.notes)
    assert run.meta["optimizers"] == [{"type": "manual update (no torch.optim)"}]


def test_a_hand_written_update_at_a_far_too_high_lr_is_the_root_cause(tmp_path):
    proc, run, doc = _run(tmp_path, MANUAL, "60", "sub")
    assert proc.returncode == 0, proc.stderr
    problems = [f["problem"] for f in doc["findings"]]
    assert doc["verdict"] == "problems" and problems[0] == "learning_rate_too_high", problems
    assert doc["findings"][0]["severity"] == "error"


def test_gradient_accumulation_with_an_optimiser_counts_optimiser_steps(tmp_path):
    proc, run, doc = _run(tmp_path, ACCUMULATE)
    assert proc.returncode == 0, proc.stderr
    assert run.steps == 40 and len(run.series("train_loss")) == 40
    assert not any("by hand" in n for n in run.notes)
    assert [o["type"] for o in run.meta["optimizers"]] == ["SGD"]


PENALTY = textwrap.dedent('''
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    x, y = torch.randn(512, 10), torch.randint(0, 3, (512,))
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.Tanh(), torch.nn.Linear(32, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(40):
        i = torch.randint(0, 512, (32,))
        xi = x[i].requires_grad_()
        loss = F.cross_entropy(model(xi), y[i])
        # an input-gradient penalty: torch.autograd.grad inside a loop an optimiser steps
        # (create_graph given by position: grad(outputs, inputs, grad_outputs, retain_graph, create_graph))
        (g,) = torch.autograd.grad(loss, xi, None, None, True)
        opt.zero_grad()
        (loss + 0.1 * g.pow(2).sum(1).mean()).backward()
        opt.step()
''')


def test_autograd_grad_inside_an_optimiser_loop_is_not_a_step(tmp_path):
    proc, run, doc = _run(tmp_path, PENALTY)
    assert proc.returncode == 0, proc.stderr
    assert run.steps == 40 and len(run.series("train_loss")) == 40
    assert not any("by hand" in n for n in run.notes)
    assert [o["type"] for o in run.meta["optimizers"]] == ["Adam"]


RAW_TANH = textwrap.dedent('''
    import sys
    import torch
    import torch.nn.functional as F
    torch.manual_seed(0)
    scale, mode = float(sys.argv[1]), sys.argv[2]
    x = torch.randn(512, 16)
    y = x[:, :4].argmax(1)
    # a model made of raw tensors, no nn.Module: randn weights times `scale`
    W = [(torch.randn(16, 64) * scale).requires_grad_(), (torch.randn(64, 64) * scale).requires_grad_(),
         (torch.randn(64, 4) * 0.1).requires_grad_()]
    for step in range(60):
        i = torch.randint(0, 512, (64,))
        h = x[i]
        for w in W[:-1]:
            h = torch.tanh(h @ w)
        loss = F.cross_entropy(h @ W[-1], y[i])
        grads = torch.autograd.grad(loss, W) if mode == "grad" else None
        if grads is None:
            loss.backward()
            grads = [w.grad for w in W]
        with torch.no_grad():
            for w, g in zip(W, grads):
                w -= 0.05 * g
                w.grad = None
''')


@pytest.mark.parametrize("mode", ["backward", "grad"])
def test_a_raw_tensor_model_has_its_activations_measured(tmp_path, mode):
    """tanh(x @ W) with W = randn (no 1/sqrt(fan_in)): the products with the hand-made weights
    are its layers, the tanh after each its activation, measured on sampled steps (fresh6: a
    tutorial-style MLP 82% saturated read no saturation: nothing to hook). Scaled weights do not
    saturate."""
    proc, run, doc = _run(tmp_path, RAW_TANH, "1.0", mode)
    assert proc.returncode in (0, 1), proc.stderr
    assert list(run.activations.kinds) == ["param0[16, 64].tanh", "param1[64, 64].tanh"]
    assert len(run.activations) >= 9  # the dense start
    sat = next(f for f in doc["findings"] if f["problem"] == "saturated_activations")
    assert sat["evidence"]["worst_saturated_fraction"] > 0.5
    proc, run, doc = _run(tmp_path, RAW_TANH, "0.15", mode)
    assert "saturated_activations" not in {f["problem"] for f in doc["findings"]}


GRADCHECK_FIRST = textwrap.dedent('''
    import sys
    import torch
    torch.manual_seed(0)
    torch.set_num_threads(1)

    class Square(torch.autograd.Function):  # a layer with its own backward, checked first
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    probe = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(Square.apply, (probe,))
    x = torch.randn(256, 4)
    y = (x[:, 0] * x[:, 1] > 0).float()
    w1 = (torch.randn(4, 16) * 0.5).requires_grad_()
    w2 = (torch.randn(16) * 0.25).requires_grad_()
    for step in range(80):
        z = Square.apply(x @ w1) @ w2
        if sys.argv[1] == "by_hand":
            loss = (z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))).mean()
        else:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
        loss.backward()
        with torch.no_grad():
            for p in (w1, w2):
                p -= 0.05 * p.grad
                p.grad.zero_()
''')


@pytest.mark.parametrize("loss", ["by_hand", "function"])
def test_a_gradient_check_before_the_loop_is_not_taken_for_the_training(tmp_path, loss):
    """fresh18: `torch.autograd.gradcheck` on a custom Function's float64 probe tensors before a
    loop that updates by hand; the check's leaves were watched as the model's, which never moved:
    "the model was never updated: 702 backward passes ran". Leaves that a backward() does not
    reach and that never moved were a probe's: the next backward() arms on the training's."""
    script = tmp_path / "checked.py"
    script.write_text(GRADCHECK_FIRST)
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(script), loss)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    [run] = load_runs(tmp_path / "run")
    assert run.steps == 80
    doc = json_tail(proc.stdout)
    assert not any("never updated" in f["summary"] for f in doc["findings"]), doc["findings"]
