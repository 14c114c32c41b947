"""Fixes of the fresh17 round (and the older misses it took up), each on a real log or a real small
training that showed the error, judged against its author's label."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from conftest import ROOT, json_tail, problems, traindx

from traindx.api import diagnose_path
from traindx.runs import load_runs

LOGS = ROOT / "tests" / "fixtures" / "corpus_logs"


def _flagged(report) -> set[str]:
    return {f.problem for f in report.diagnosis.findings if f.severity.rank >= 1}


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path

# raw features on scales 1e-2..1e3 with offsets; the model standardises them in its own forward
# (buffers of the training set's mean and std) unless told not to
NORMALISES_IN_FORWARD = '''
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
inside = sys.argv[1] == "inside"
scales = torch.tensor([0.01, 1.0, 50.0, 1000.0])
x = torch.randn(512, 4) * scales + torch.tensor([0.0, 3.0, 200.0, 5000.0])
y = ((x - x.mean(0)) / x.std(0) @ torch.tensor([1.0, -1.0, 0.5, 2.0]) > 0).long()

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mu", x.mean(0))
        self.register_buffer("sd", x.std(0))
        self.fc1 = torch.nn.Linear(4, 32)
        self.fc2 = torch.nn.Linear(32, 2)

    def forward(self, v):
        if inside:
            v = (v - self.mu) / self.sd
        return self.fc2(torch.relu(self.fc1(v)))

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(6):
    for i in range(0, 512, 32):
        loss = torch.nn.functional.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def test_a_model_that_normalises_its_input_in_forward_is_judged_on_what_its_first_layer_sees(tmp_path: Path):
    """fresh16's RunningNorm and the common `(x - self.mean) / self.std` in forward: the model's
    input is raw, but its first weight layer receives standardised features (measured by the
    recorder when that layer's input has the input's shape). The same script without the line in
    forward is warned."""
    script = tmp_path / "normalises.py"
    script.write_text(NORMALISES_IN_FORWARD)
    found = {}
    for mode in ("inside", "raw"):
        proc = traindx("run", "--out", str(tmp_path / mode), "--format", "json", str(script), mode,
                       timeout=300)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        found[mode] = problems(json_tail(proc.stdout))
    assert "unnormalized_inputs" not in found["inside"], found
    assert "unnormalized_inputs" in found["raw"], found


def _stalled_log(path: Path, train_end: float, eval_floor: float) -> Path:
    """A per-step log: the train loss falls from 1.0 towards `train_end` to the last step, the eval
    loss reaches `eval_floor` by step 200 and stays there (+-1%)."""
    rows = []
    for step in range(0, 1001, 20):
        train = train_end + (1.0 - train_end) * np.exp(-step / 250)
        ev = eval_floor + (1.0 - eval_floor) * np.exp(-step / 50) + 0.01 * eval_floor * np.sin(step)
        rows.append(f"{step},{train:.5f},{ev:.5f}" if step % 100 == 0 else f"{step},{train:.5f},")
    path.write_text("step,train_loss,val_loss\n" + "\n".join(rows) + "\n")
    return path


def test_a_stalled_eval_gap_must_be_large_against_the_untrained_loss(tmp_path: Path):
    """A regression at its noise ceiling (fresh16: R^2 0.45, a ridge's too): validation MSE
    stalled at 0.445 against train 0.363 and untrained 0.502 is "59% of the way back up" but a gap
    of 16% of the untrained loss: no overfitting. The same shape with the train loss fitted to
    ~0 and the eval stalled at 70% of the untrained loss keeps its finding."""
    noisy = diagnose_path(LOGS / "fresh16_console_logs" / "healthy_warnings_traceback_mixed_diabetes_noisy_target")[0]
    assert "overfitting" not in _flagged(noisy), noisy.diagnosis.findings
    small = diagnose_path(_stalled_log(tmp_path / "small.csv", train_end=0.70, eval_floor=0.86))[0]
    assert "overfitting" not in _flagged(small), small.diagnosis.findings
    large = diagnose_path(_stalled_log(tmp_path / "large.csv", train_end=0.005, eval_floor=0.70))[0]
    found = next(f for f in large.diagnosis.findings if f.problem == "overfitting")
    assert found.evidence["criterion"] == "loss_gap" and found.evidence["loss_gap_of_untrained"] >= 0.5


# 16 Gaussian classes in 12 dimensions through a hidden layer of `width` units
BOTTLENECK = """
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
width = int(sys.argv[1])
centers = torch.randn(16, 12)
y = torch.randint(0, 16, (1200,))
x = centers[y] + torch.randn(1200, 12)
model = torch.nn.Sequential(torch.nn.Linear(12, 64), torch.nn.ReLU(), torch.nn.Linear(64, width),
                            torch.nn.ReLU(), torch.nn.Linear(width, 16))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(10):
    for i in range(0, 1200, 40):
        loss = torch.nn.functional.cross_entropy(model(x[i:i + 40]), y[i:i + 40])
        opt.zero_grad()
        loss.backward()
        opt.step()
"""


def test_a_constrained_model_still_creeping_down_is_high_bias_when_its_pace_cannot_get_it_there(tmp_path: Path):
    """A 2-unit bottleneck on 16 classes: train error 78% (majority 91%), the loss still falling 6%
    over the last half. Before, any fall of 5% or more was read as "still learning"; at that pace
    another half would leave it at ~80% of chance, so it is high bias (fresh8's dropout 0.9 and
    fresh16's 2-unit head fell 11-13%). The same model 64 units wide fits 88%: nothing to say."""
    script = tmp_path / "bottleneck.py"
    script.write_text(BOTTLENECK)
    found = {}
    for width in ("2", "64"):
        proc = traindx("run", "--out", str(tmp_path / width), "--format", "json", str(script), width,
                       timeout=300)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        doc = json_tail(proc.stdout)
        found[width] = {f["problem"]: f for f in doc["findings"]}
    bias = found["2"].get("high_bias")
    assert bias is not None and bias["evidence"]["constraint"] == "narrow", found["2"]
    assert bias["evidence"]["late_relative_drop"] >= 0.05  # a fall the old rule excused
    assert "high_bias" not in found["64"], found["64"]


# a JAX-style port: parameters in a dict, gradients by torch.autograd.grad, and an update that
# builds new tensors each step (`params = {k: p - lr * g}`), as jax.tree_map does
FUNCTIONAL_UPDATE = """
import sys
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
scale = float(sys.argv[1])
g = torch.Generator().manual_seed(1)
x = torch.randn(800, 8, generator=g)
y = (x[:, 0] * x[:, 1] + x[:, 2] > 0).long()
x = x * torch.tensor([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, scale])
params = {"w1": torch.randn(8, 64, generator=g) / 8 ** 0.5, "b1": torch.zeros(64),
          "w2": torch.randn(64, 2, generator=g) / 8.0, "b2": torch.zeros(2)}

def apply(p, v):
    return torch.relu(v @ p["w1"] + p["b1"]) @ p["w2"] + p["b2"]

for epoch in range(25):
    for i in range(0, 800, 32):
        leaves = {k: v.requires_grad_(True) for k, v in params.items()}
        loss = torch.nn.functional.cross_entropy(apply(leaves, x[i:i + 32]), y[i:i + 32])
        grads = dict(zip(leaves, torch.autograd.grad(loss, list(leaves.values()))))
        with torch.no_grad():
            params = {k: (leaves[k] - 0.1 * grads[k]).detach() for k in leaves}
"""


def test_a_jax_style_update_that_builds_new_tensors_is_a_training(tmp_path: Path):
    """fresh17's JAX/Optax ports: each update builds new parameter tensors, so the ones the first
    backward saw never change. Read before as "the model was never updated" on nine healthy ports
    and every planted one. The new tensors now take the old ones' names: steps, update ratios and
    the hand-made layers' activations are measured, and a raw feature on a scale of 1e4 is found
    (the data the first product multiplies is the input)."""
    script = tmp_path / "port.py"
    script.write_text(FUNCTIONAL_UPDATE)
    docs = {}
    for scale in ("1", "1e4"):
        proc = traindx("run", "--out", str(tmp_path / scale), "--format", "json", str(script), scale,
                       timeout=300)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        docs[scale] = json_tail(proc.stdout)
    healthy = docs["1"]
    assert problems(healthy) == set(), healthy["findings"]
    run = load_runs(tmp_path / "1")[0]
    assert run.steps >= 600 and sorted(run.params.layers) == ["param0[8, 64]", "param1[64, 2]",
                                                              "param2[64]", "param3[2]"]
    ratios = run.params.get("update_ratio")
    assert np.nanmedian(ratios[:, :2]) > 1e-4  # the weight matrices moved, step after step
    assert any(k.endswith(".relu") for k in run.activations.layers)
    assert "unnormalized_inputs" in problems(docs["1e4"]), docs["1e4"]["findings"]


def test_a_loss_named_by_its_function_and_a_unit_is_read(tmp_path: Path):
    """fresh17's logs name their loss by its function with a qualifier the table does not know:
    `train_poisson_nll`, `val/mse_log` (a log target), `train_mse_usd2` and `train_mse_K2` (a unit),
    `train/l1`. Refused before ("no loss column recognised"); a score beside them (`val_iou`) is
    not taken for the loss."""
    rows = [f"{e},{1.0 / e:.4f},{1.2 / e ** 0.5:.4f},0.{e}" for e in range(1, 11)]
    for train, val in (("train_poisson_nll", "val_poisson_nll"), ("train_mse_usd2", "val_mse_usd2"),
                       ("train_mse_K2", "val_mse_K2"), ("train/l1", "val/l1")):
        path = _write(tmp_path / f"{train.replace('/', '_')}.csv", f"epoch,{train},{val},val_iou", rows)
        run = load_runs(path)[0]
        assert len(run.series("train_loss")) == 10 and len(run.series("eval_loss")) == 10, train
        assert abs(run.series("eval_loss").values[-1] - 1.2 / 10 ** 0.5) < 1e-4


def test_a_loss_living_below_zero_has_no_relative_progress(tmp_path: Path):
    """A Poisson NLL without its constant term on counts in the thousands sits at -1.1e4 and moves
    in its fourth digit while the model learns: "fell only 0.04%" was read as non-convergence. A
    loss that starts at or below zero has no scale for a share; the same curve shifted above zero
    (a real plateau) keeps its finding."""
    steps = range(0, 901, 20)
    flat = [f"{s},{-11160 - 10 * (1 - np.exp(-s / 300)):.2f}" for s in steps]
    report = diagnose_path(_write(tmp_path / "poisson.csv", "step,train_poisson_nll", flat))[0]
    assert "non_convergence" not in _flagged(report), report.diagnosis.findings
    plateau = [f"{s},{2.3 - 0.002 * (1 - np.exp(-s / 300)):.4f}" for s in steps]
    report = diagnose_path(_write(tmp_path / "plateau.csv", "step,train_loss", plateau))[0]
    assert "non_convergence" in _flagged(report), report.diagnosis.findings


# a tagger: each token's tag is a function of the token; 40% of the positions are padding,
# labelled -100 (the Hugging Face convention, cross_entropy's default ignore_index)
TAGGER = """
import torch
torch.manual_seed(0)
torch.set_num_threads(1)
tokens = torch.randint(1, 50, (600, 20))
tags = (tokens % 3 == 0).long() + (tokens % 7 == 0).long()
pad = torch.rand(600, 20) < 0.4
tokens[pad] = 0
tags[pad] = -100
model = torch.nn.Sequential(torch.nn.Embedding(50, 32), torch.nn.Linear(32, 32), torch.nn.ReLU(),
                            torch.nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(6):
    model.train()
    for i in range(0, 500, 20):
        logits = model(tokens[i:i + 20])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 3), tags[i:i + 20].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        torch.nn.functional.cross_entropy(model(tokens[500:]).reshape(-1, 3), tags[500:].reshape(-1))
"""


def test_accuracy_counts_only_the_labelled_targets(tmp_path: Path):
    """A token tagger with 40% of its positions padded (-100) and a segmentation with a void band
    (fresh17: ignore_index=255) learn their task perfectly; the recorded accuracy divided the correct
    predictions by every target, padding included (~60% here, 78.7% on the segmentation, read as
    "no better than the majority class"). Only labelled targets count now."""
    script = tmp_path / "tagger.py"
    script.write_text(TAGGER)
    proc = traindx("run", "--out", str(tmp_path / "run"), "--format", "json", str(script), timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert problems(json_tail(proc.stdout)) == set()
    run = load_runs(tmp_path / "run")[0]
    assert run.series("eval_acc").values[-1] > 0.95
    assert run.series("train_acc").values[-1] > 0.95  # (sampled steps: the last is step 101)


def test_a_loss_that_turns_nan_is_no_crawl():
    """fresh17: a log(prediction) that turns NaN at step 540 after a steady fall (31% in a
    straight line) was also read as "learning rate too low (from the loss alone)": a run that ended
    non-finite has no end still falling. The NaN is found."""
    report = diagnose_path(LOGS / "fresh17_scales_and_units" / "non_finite_log_of_negative_prediction")[0]
    assert _flagged(report) == {"non_finite"}, report.diagnosis.findings
