"""Classes of error of the fresh13 round, each on a real small training with its control: a
regression tested on data drawn unlike its training data, seen only in its printed errors (MAE or
RMSE, no error rate for the Bayes-gap analysis).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from traindx.api import diagnose_path


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


# a forecaster-like regression under an L1 loss whose test inputs come from outside the training
# range (argv[1] = 1) or from the same one (0); it prints its errors as a regression script does
EXTRAPOLATED_TEST_SCRIPT = """
import sys
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
g = torch.Generator().manual_seed(0)
def draw(n, lo, hi):
    x = torch.rand(n, 4, generator=g) * (hi - lo) + lo
    y = torch.sin(x).sum(1, keepdim=True) + 0.05 * torch.randn(n, 1, generator=g)
    return x, y
x, y = draw(1024, -2.0, 2.0)
xv, yv = draw(256, -2.0, 2.0)
xt, yt = draw(256, 2.0, 4.0) if sys.argv[1] == "1" else draw(256, -2.0, 2.0)
model = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
unit = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0  # the targets' scale, undone for the report
mae = lambda a, b: F.l1_loss(model(a), b).item() * unit
for epoch in range(10):
    for i in range(0, 1024, 32):
        opt.zero_grad()
        F.l1_loss(model(x[i:i + 32]), y[i:i + 32]).backward()
        opt.step()
    with torch.no_grad():
        print(f"epoch {epoch} train_mae {mae(x, y):.4f} val_mae {mae(xv, yv):.4f}")
with torch.no_grad():
    print(f"train_mae {mae(x, y):.4f} val_mae {mae(xv, yv):.4f} test_mae {mae(xt, yt):.4f}")
"""


def test_a_regression_tested_outside_its_training_range_is_data_mismatch_from_its_printed_errors(tmp_path):
    """`val_mae`/`test_mae` under an L1 objective are that split's loss; a test loss far above a
    validation loss that sits on the train loss is data mismatch (no error rate needed), and its
    control, tested on data drawn alike, is not."""
    script = tmp_path / "extrapolated.py"
    script.write_text(EXTRAPOLATED_TEST_SCRIPT)
    found = {}
    for shift in ("0", "1"):
        out = tmp_path / f"run{shift}"
        proc = subprocess.run([sys.executable, "-m", "traindx", "run", "--out", str(out), str(script), shift],
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        last = proc.stdout.split("test_mae")[0].rsplit("val_mae", 1)[1].split() + \
            proc.stdout.split("test_mae")[1].split()[:1]
        val, test = float(last[0]), float(last[1])
        run, problems = _diagnose(out)
        assert run.series("test_loss").values[-1] == pytest.approx(test, abs=1e-3)
        assert run.series("eval_loss").values[-1] == pytest.approx(val, abs=1e-3)
        found[shift] = (val, test, problems)
    val, test, problems = found["1"]
    assert test > 2 * val and found["0"][1] < 1.3 * found["0"][0]  # the premise: only the shift hurts
    f = problems["data_mismatch"]
    assert f.evidence["ratio"] == pytest.approx(test / val, rel=0.05) and "validation loss" in f.summary
    assert "data_mismatch" not in found["0"][2]


def test_a_printed_error_in_the_targets_own_units_does_not_replace_the_captured_loss(tmp_path):
    """Targets scaled for training, the error printed in the original units (x 50): the printed
    `val_mae` lies far outside the losses captured in that evaluation, so it is not the eval loss
    (read as one, a train loss of 0.05 against an eval loss of 2.5 would be a false overfitting)."""
    script = tmp_path / "units.py"
    script.write_text(EXTRAPOLATED_TEST_SCRIPT)
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "traindx", "run", "--out", str(out), str(script), "0", "50"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    printed = float(proc.stdout.split("test_mae")[0].rsplit("val_mae", 1)[1].split()[0])
    run, problems = _diagnose(out)
    assert printed > 1.0 and run.series("eval_loss").values[-1] < printed / 10
    assert run.series("test_loss") is None
    assert not {"overfitting", "data_mismatch", "high_variance"} & set(problems)
