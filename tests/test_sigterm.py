"""SIGTERM (a scheduler's stop, `kill PID`) is handled as Ctrl-C is: the run is flushed, ended and
diagnosed, and `traindx run` exits 143 (issue 17, "also seen")."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

LONG = """
import torch
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
opt = torch.optim.SGD(m.parameters(), lr=0.05)
x, y = torch.randn(256, 8), torch.randint(0, 2, (256,))
step = 0
while True:  # runs until stopped
    loss = torch.nn.functional.cross_entropy(m(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    step += 1
    if step == 50:
        print("fifty steps", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_ends_the_run_with_a_report(tmp_path):
    (tmp_path / "train.py").write_text(LONG)
    proc = subprocess.Popen([sys.executable, "-m", "traindx", "run", "--out", "run", "train.py"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1", "OMP_NUM_THREADS": "1"})
    deadline = time.monotonic() + 120
    while proc.stdout.readline().strip() != "fifty steps" and time.monotonic() < deadline:
        pass
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    doc = json.loads((tmp_path / "run" / "report.json").read_text())
    assert doc["run"]["ended"] == "interrupted" and doc["run"]["steps"] >= 50
