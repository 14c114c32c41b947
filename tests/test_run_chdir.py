"""A script that changes directory (Hydra does at start-up) must not move traindx's run directory:
it is resolved once, before the script runs (issue 17, 1)."""
from __future__ import annotations

import json

from conftest import traindx

CHDIR = """
import os, torch
os.chdir("elsewhere")
torch.manual_seed(0)
m = torch.nn.Linear(4, 2)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x, y = torch.randn(64, 4), torch.randint(0, 2, (64,))
for i in range(60):
    loss = torch.nn.functional.cross_entropy(m(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
"""


def test_os_chdir_in_the_script_keeps_the_run_whole_and_others_untouched(tmp_path):
    (tmp_path / "train.py").write_text(CHDIR, encoding="utf-8")
    other = tmp_path / "elsewhere" / "run"  # a run that lives where a relative --out would now point
    other.mkdir(parents=True)
    (other / "report.json").write_text('{"mine": true}', encoding="utf-8")
    proc = traindx("run", "--out", "run", "--format", "json", "train.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "cannot write" not in proc.stderr
    doc = json.loads((tmp_path / "run" / "report.json").read_text())
    assert doc["run"]["steps"] == 60
    assert json.loads((other / "report.json").read_text()) == {"mine": True}
    assert sorted(p.name for p in other.iterdir()) == ["report.json"]
