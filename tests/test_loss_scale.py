"""A too-high lr for the loss's own scale: a loss summed over the batch, or regression targets far
from unit scale, makes the first gradients 10-50x the weights before any update; the steps an lr
tuned for a mean over unit-scale targets takes then throw the weights away. The lr is the root
(the explosion, the dead units and the NaN follow), and the plan's first move fixes the scale.
fresh7's and fresh17's sum-reduced losses and fresh17's kelvin targets, as a real small training;
the same script with a mean, or standardised targets, at the same lr is the control."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import json_tail, traindx

SCRIPT = '''
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
mode = sys.argv[1]  # sum | mean | raw_by_hand | raw_mse | standardised
x = torch.randn(1024, 8)
y = torch.tanh(x @ torch.randn(8, 1) / 2) * 2 + 0.1 * torch.randn(1024, 1)
if mode.startswith("raw"):
    y = 290.0 + 10.0 * y  # temperatures in kelvin, as logged
model = torch.nn.Sequential(torch.nn.Linear(8, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                            torch.nn.ReLU(), torch.nn.Linear(64, 1))
summed_or_mean = mode in ("sum", "mean")
opt = torch.optim.SGD(model.parameters(), lr=0.05 if summed_or_mean else 0.01,
                      momentum=0.0 if summed_or_mean else 0.9)
for epoch in range(5):
    for i in range(0, 1024, 64):
        out, t = model(x[i:i + 64]), y[i:i + 64]
        if mode == "sum":
            loss = torch.nn.functional.mse_loss(out, t, reduction="sum")
        elif mode == "raw_by_hand":
            loss = ((out - t) ** 2).mean()
        else:
            loss = torch.nn.functional.mse_loss(out, t)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def _run(tmp_path: Path, mode: str) -> dict:
    script = tmp_path / "regress.py"
    script.write_text(SCRIPT)
    proc = traindx("run", "--out", str(tmp_path / mode), "--format", "json", str(script), mode)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json_tail(proc.stdout)


@pytest.mark.parametrize("mode,criterion,first_move", [
    ("sum", "summed_loss", "Average mse_loss over the batch"),
    ("raw_mse", "target_scale", "Standardise the regression targets"),
    ("raw_by_hand", "loss_level", "Bring the loss to unit scale"),
])
def test_a_loss_on_a_large_scale_makes_the_lr_the_root_and_its_scale_the_first_move(
        tmp_path, mode, criterion, first_move):
    doc = _run(tmp_path, mode)
    warned = [f for f in doc["findings"] if f["severity"] != "info"]
    assert warned[0]["problem"] == "learning_rate_too_high", [f["problem"] for f in warned]
    lr = warned[0]
    assert lr["evidence"]["criterion"] == criterion
    # the gradients were already far larger than the weights before any update: the scale says why
    assert "before any update" in lr["summary"]
    if mode == "sum":
        assert lr["evidence"]["summed_over"] == 64 and "64x a mean's" in lr["summary"]
        assert "summing its 64 values" in doc["plan"][0]["action"]
    if mode == "raw_mse":
        assert 250 < lr["evidence"]["target_rms"] < 330
    by = {f["problem"]: f.get("caused_by") for f in warned}
    assert by.get("exploding_gradients") == "learning_rate_too_high"
    assert doc["plan"][0]["action"].startswith(first_move)


@pytest.mark.parametrize("mode", ["mean", "standardised"])
def test_the_same_lr_on_a_unit_scale_loss_trains(tmp_path, mode):
    doc = _run(tmp_path, mode)
    assert doc["verdict"] == "healthy", [f["summary"] for f in doc["findings"]]
