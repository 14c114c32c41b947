"""High bias where no constraint can be named: the capacity probe. The recorder keeps a few
thousand training rows (tabular inputs paired with their targets); at diagnosis a small MLP fit
on three quarters of them and scored on the rest says what error the data allows — as the corpus'
authors showed avoidable bias with a bigger control model. Real small trainings: a linear model
on two interleaved moons (the probe reaches ~1%, the model ~13%), the same data under an MLP
(healthy), a linear task whose labels are 20% flipped (a plateau at the Bayes error: no claim), a
linear fit of a sine, and TRAINDX_DATA_SAMPLE=0."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import json_tail, traindx
from traindx.diagnose.capacity import probe_error
from traindx.runs import load_runs

SCRIPT = '''
import math
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
mode = sys.argv[1]  # linear | mlp | mlp_lr30 | noisy_linear | sine
n = 2000
if mode == "sine":
    x = torch.rand(n, 1) * 6 - 3
    y = torch.sin(2 * x) + 0.05 * torch.randn(n, 1)
elif mode == "noisy_linear":  # separable by a line, 20% of the labels flipped: Bayes error 20%
    x = torch.randn(n, 2)
    y = (x[:, 0] + x[:, 1] > 0).long()
    flip = torch.rand(n) < 0.2
    y = torch.where(flip, 1 - y, y)
else:  # two interleaved half circles
    t = torch.rand(n) * math.pi
    y = (torch.rand(n) < 0.5).long()
    x = torch.stack([torch.cos(t) + y * 1.0, torch.sin(t) * (1 - 2 * y) + y * 0.5], 1)
    x = x + 0.1 * torch.randn(n, 2)
width = 2 if mode != "sine" else 1
if mode.startswith("mlp"):
    model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 2))
else:
    model = torch.nn.Linear(width, 1 if mode == "sine" else 2)
loss_fn = torch.nn.functional.mse_loss if mode == "sine" else torch.nn.functional.cross_entropy
opt = torch.optim.SGD(model.parameters(), lr=30.0) if mode == "mlp_lr30" else \
    torch.optim.Adam(model.parameters(), lr=1e-2)
train, val = slice(0, 1600), slice(1600, n)
for epoch in range(25):
    perm = torch.randperm(1600)
    for i in range(0, 1600, 64):
        idx = perm[i:i + 64]
        loss = loss_fn(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        out = model(x[val])
        print(f"epoch {epoch} val_loss {loss_fn(out, y[val]).item():.4f}"
              + ("" if mode == "sine" else f" val_acc {(out.argmax(1) == y[val]).float().mean().item():.4f}"))
'''


def _run(tmp_path: Path, mode: str, env: dict | None = None) -> dict:
    script = tmp_path / "fit.py"
    script.write_text(SCRIPT)
    proc = traindx("run", "--out", str(tmp_path / mode), "--format", "json", str(script), mode, env=env)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json_tail(proc.stdout)


def _found(doc: dict) -> dict:
    return {f["problem"]: f for f in doc["findings"]}


def test_a_linear_model_on_moons_has_the_avoidable_bias_a_small_mlp_shows(tmp_path):
    found = _found(_run(tmp_path, "linear"))
    bias = found["high_bias"]
    ev = bias["evidence"]
    assert ev["constraint"] == "probe" and ev["probe_error"] < 0.05 and ev["model_error"] > 0.08
    assert ev["avoidable_bias_at_least"] == pytest.approx(ev["model_error"] - ev["probe_error"])
    assert "two hidden layers of 64" in bias["summary"] and "it did not see" in bias["summary"]
    sample = load_runs(tmp_path / "linear")[0].sample
    assert sample["kind"] == "classification" and sample["classes"] == 2 and 256 <= len(sample["x"]) <= 4096


def test_the_same_data_under_an_mlp_is_not_bias(tmp_path):
    assert "high_bias" not in _found(_run(tmp_path, "mlp"))


def test_the_bias_of_a_model_its_lr_wrecked_is_the_lrs(tmp_path):
    """The same MLP at SGD lr 30: it misses what the probe reaches, but a bigger model trained the
    same way would too — the probe's avoidable bias is a note caused by the training's fault, and
    the lr comes first."""
    doc = _run(tmp_path, "mlp_lr30")
    found = _found(doc)
    assert doc["findings"][0]["problem"] == "learning_rate_too_high"
    bias = found["high_bias"]
    assert bias["evidence"]["constraint"] == "probe"
    assert bias["severity"] == "info" and bias["caused_by"] == "learning_rate_too_high"


def test_a_plateau_at_the_noise_floor_is_not_bias(tmp_path):
    """20% of the labels flipped: the linear model's ~20% error is the Bayes error, which the probe
    cannot beat either."""
    assert "high_bias" not in _found(_run(tmp_path, "noisy_linear"))


def test_a_linear_fit_of_a_sine_shows_the_probe_beside_its_constraint(tmp_path):
    """A linear model named as such (its fit at 90% of predicting the mean): the probe's fit of the
    same rows is the proof that a model with hidden layers does better, and the Bayes-error caveat
    goes."""
    bias = _found(_run(tmp_path, "sine"))["high_bias"]
    assert bias["evidence"]["constraint"] == "linear" and bias["evidence"]["probe_error"] < 0.1
    assert "of the targets' variance on" in bias["summary"] and "unless the task's Bayes" not in bias["summary"]


def test_no_data_is_kept_when_told_not_to(tmp_path):
    _run(tmp_path, "linear", env={"TRAINDX_DATA_SAMPLE": "0"})
    assert not (tmp_path / "linear" / "sample.npz").exists()


def test_a_bad_sample_file_is_skipped_with_a_note(tmp_path):
    """A run directory's sample.npz is read as numbers only: a pickled object array, a corrupt
    file, rows that do not pair are each a note, never a traceback or code run."""
    _run(tmp_path, "mlp")
    path = tmp_path / "mlp" / "sample.npz"
    np.savez(path, x=np.array([object()], dtype=object), y=np.zeros((1, 1)), kind=np.array("binary"),
             classes=np.array(2))
    assert load_runs(tmp_path / "mlp")[0].sample is None
    assert any("sample.npz: unreadable" in n for n in load_runs(tmp_path / "mlp")[0].notes)
    np.savez(path, x=np.zeros((5, 2), np.float32), y=np.zeros((4, 1)), kind=np.array("binary"),
             classes=np.array(2))
    assert any("not a sample of training rows" in n for n in load_runs(tmp_path / "mlp")[0].notes)
    path.write_bytes(b"PK\x03\x04 broken")
    assert zipfile.is_zipfile(path) is False and load_runs(tmp_path / "mlp")[0].sample is None


def test_the_probe_leaves_the_callers_random_state_and_threads_alone():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(400, 3)).astype(np.float32)
    sample = {"x": x, "y": (x[:, :1] > 0).astype(np.int64), "kind": "classification", "classes": 2}
    torch.manual_seed(123)
    threads = torch.get_num_threads()
    expected = torch.rand(3)
    torch.manual_seed(123)
    first = probe_error(sample)
    assert torch.equal(torch.rand(3), expected) and torch.get_num_threads() == threads
    assert probe_error(sample) == first and first["error"] < 0.05  # deterministic, and it learns
