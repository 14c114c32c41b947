"""The global gradient norm on every step, evaluation phases that mix data splits, and the metrics
a script prints (read through a transparent stdout tee)."""
from __future__ import annotations

import io
import math
import os
import random
import subprocess
import sys
import textwrap

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from conftest import ROOT, json_tail, traindx
from test_hot_path import host_reads  # noqa: F401  (the fixture)

from traindx.record import Recorder
from traindx.record.printed import StdoutTee, parse_line
from traindx.record.splits import MAX_CALLS, Phase, SplitTracker, detect, detect_strength
from traindx.runs import load_runs

# ----------------------------------------------------------------- scripts, run as a user would
GPT_SCRIPT = textwrap.dedent('''
    """GPT-style: estimate_loss() evaluates the train split, then the val split, in one phase."""
    import sys
    import torch
    import torch.nn.functional as F
    from torch import nn

    PRINT = "--print" in sys.argv
    torch.manual_seed(0)
    V, T, B = 16, 8, 16
    train_data = torch.randint(0, V, (120,))  # tiny: the model learns it by heart
    val_data = torch.randint(0, V, (2000,))
    eval_iters, eval_interval, max_iters = 10, 100, 300


    def get_batch(split):
        data = train_data if split == "train" else val_data
        ix = torch.randint(len(data) - T - 1, (B,))
        return (torch.stack([data[i:i + T] for i in ix]),
                torch.stack([data[i + 1:i + T + 1] for i in ix]))


    class Bigram(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, 64)
            self.head = nn.Linear(64, V)

        def forward(self, idx, targets=None):
            logits = self.head(torch.relu(self.emb(idx)))
            loss = None if targets is None else F.cross_entropy(logits.view(-1, V), targets.view(-1))
            return logits, loss


    model = Bigram()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-2)


    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(split)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
        model.train()
        return out


    for it in range(max_iters + 1):
        if it % eval_interval == 0:
            losses = estimate_loss()
            if PRINT:
                print(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
        if it == max_iters:
            break
        X, Y = get_batch("train")
        logits, loss = model(X, Y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    print("done: ünïcode ✓", end="")
    print(" and a line end\\r\\nlast")
''')

ONE_SPLIT_SCRIPT = textwrap.dedent('''
    """A normal script: a shuffled val loader, small noisy batches, one evaluation split."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    x = torch.randn(1400, 10)
    y = (x[:, :3].sum(1) + 0.8 * torch.randn(1400) > 0).long()
    train = DataLoader(TensorDataset(x[:1000], y[:1000]), batch_size=50, shuffle=True)
    val = DataLoader(TensorDataset(x[1000:], y[1000:]), batch_size=10, shuffle=True)  # 40 batches
    model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(6):
        for xb, yb in train:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            for xb, yb in val:
                loss_fn(model(xb), yb)
        model.train()
''')


def _run(tmp_path, source: str, *args: str, name: str = "script"):
    script = tmp_path / f"{name}.py"
    script.write_text(source, encoding="utf-8")
    out = tmp_path / f"run-{name}{'-'.join(args)}"
    proc = traindx("run", "--out", str(out), "--format", "json", str(script), *args)
    assert proc.returncode == 0, proc.stderr
    return proc, load_runs(out)[0], script


def test_estimate_loss_over_train_and_val_is_two_series(tmp_path):
    proc, run, script = _run(tmp_path, GPT_SCRIPT)
    assert "eval_loss" not in run.scalars and "eval_acc" not in run.scalars
    a, b = run.series("eval_loss_split1"), run.series("eval_loss_split2")
    assert list(a.steps) == list(b.steps) == [0, 100, 200, 300]
    assert (a.values[1:] < b.values[1:] - 1.0).all()  # the train split learned by heart, not val
    note = [n for n in run.notes if "data splits" in n]
    assert len(note) == 1 and "2 data splits in turn (10 batches each)" in note[0]
    assert "eval_loss is left out" in note[0] and "traindx.log(val_loss=...)" in note[0]
    # the global gradient norm of every optimiser step, at the train loss's steps
    g = run.series("grad_norm")
    assert list(g.steps) == list(run.series("train_loss").steps) == list(range(1, 301))
    assert (g.values > 0).all() and g.values.std() > 0


def test_printed_val_loss_names_the_splits_and_output_is_untouched(tmp_path):
    proc, run, script = _run(tmp_path, GPT_SCRIPT, "--print")
    printed = [line for line in proc.stdout.splitlines() if line.startswith("step ")]
    assert len(printed) == 4
    vals = [float(line.rsplit("val loss ", 1)[1]) for line in printed]
    trains = [float(line.split("train loss ")[1].split(",")[0]) for line in printed]
    ev, tr = run.series("eval_loss"), run.series("eval_train_loss")
    assert list(ev.steps) == list(tr.steps) == [0, 100, 200, 300]
    assert list(ev.values) == pytest.approx(vals, abs=1e-6)
    assert list(tr.values) == pytest.approx(trains, abs=1e-6)
    assert not any(k.startswith("eval_loss_split") for k in run.scalars)
    assert any("eval_loss is the validation loss the script reports" in n for n in run.notes)
    # byte for byte what `python script.py --print` writes, before traindx's own report
    env = {**os.environ, "OMP_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    plain = subprocess.run([sys.executable, str(script), "--print"], capture_output=True, env=env,
                           timeout=120)
    ours = subprocess.run([sys.executable, "-m", "traindx", "run", "--out", str(tmp_path / "bytes"),
                           "--format", "json", str(script), "--print"], capture_output=True, env=env,
                          cwd=ROOT, timeout=180)
    assert plain.returncode == ours.returncode == 0
    assert b"\r\nlast\n" in plain.stdout
    assert ours.stdout.startswith(plain.stdout), (plain.stdout[-200:], ours.stdout[:len(plain.stdout) + 50])


def test_one_split_shuffled_loader_stays_eval_loss(tmp_path):
    proc, run, _ = _run(tmp_path, ONE_SPLIT_SCRIPT, name="one_split")
    assert len(run.series("eval_loss")) == 6 and len(run.series("eval_acc")) == 6
    assert not any(k.startswith("eval_loss_split") for k in run.scalars)
    assert not any("data splits" in n for n in run.notes)


WHOLE_SPLITS_SCRIPT = """
import torch
from torch import nn
torch.manual_seed(0)
x = torch.randn(1400, 10)
y = (x[:, :3].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(6):
    for i in range(0, 1000, 50):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x[i:i + 50]), y[i:i + 50]).backward()
        opt.step()
    with torch.no_grad():  # the train, validation and test splits, each as one batch
        for a, b in ((0, 1000), (1000, 1200), (1200, 1400)):
            nn.functional.cross_entropy(model(x[a:b]), y[a:b])
"""


def test_whole_splits_evaluated_in_one_phase_are_said_not_silently_mixed(tmp_path):
    """Calls of 1000, 200 and 200 inputs in one evaluation phase are no loader's batches (a
    loader's are one size but a smaller last): the train, validation and test splits, too few
    calls to segment; the report says eval_loss mixes them. (1000 then 400 would be a loader of
    batch 1000 over 1400 inputs: not said.)"""
    _, run, _ = _run(tmp_path, WHOLE_SPLITS_SCRIPT, name="whole")
    note = [n for n in run.notes if "not one loader's batches" in n]
    assert len(note) == 1 and "3 loss calls on inputs of sizes 1000, 200, 200" in note[0]
    assert len(run.series("eval_loss")) == 6


# ----------------------------------------------------------------- the split test itself
def test_detect_finds_levels_and_not_noise_or_sorted_data():
    rng = random.Random(0)
    noise = sum(detect([1.0 + rng.gauss(0, 0.1) for _ in range(n)]) is not None
                for n in (20, 40, 60, 120, 200, 400, 512) for _ in range(60))
    assert noise == 0
    # heavy tails: an outlier batch now and then
    spiky = sum(detect([rng.expovariate(1.0) ** 2 for _ in range(100)]) is not None for _ in range(200))
    assert spiky == 0
    two = [1.0 + rng.gauss(0, 0.1) for _ in range(50)] + [1.5 + rng.gauss(0, 0.1) for _ in range(50)]
    assert detect(two) == 2
    three = [lvl + rng.gauss(0, 0.05) for lvl in (2.0, 2.6, 2.3) for _ in range(20)]
    assert detect(three) == 3
    exact = [0.7] * 10 + [0.9] * 10  # one fixed batch per split, evaluated repeatedly
    assert detect(exact) == 2 and detect([0.7] * 20) is None
    # a val loader sorted by class (ImageFolder, shuffle=False): 10 classes of 8 batches at their
    # own levels; the halves differ, but not as two splits do
    sorted_hits = 0
    for _ in range(100):
        levels = [rng.gauss(1.0, 0.3) for _ in range(10)]
        sorted_hits += detect([lvl + rng.gauss(0, 0.05) for lvl in levels for _ in range(8)]) is not None
    assert sorted_hits <= 2
    # a loader sorted by length or time: a trend is no set of steps
    assert sum(detect([1 + 0.002 * i + rng.gauss(0, 0.05) for i in range(200)]) is not None
               for _ in range(100)) == 0
    assert detect([float("nan")] + two[1:]) is None


def _phase(step, values, targets=None):
    return Phase(step, sum(values) / len(values), None, values, [1.0] * len(values), targets or [])


def test_tracker_needs_one_clear_phase_or_two_and_rejects_label_sorted_loaders():
    rng = random.Random(3)
    weak = None
    while weak is None:  # a phase whose two levels differ by 4 to 6 standard errors
        v = [rng.gauss(1.0, 0.1) for _ in range(20)] + [rng.gauss(1.2, 0.1) for _ in range(20)]
        hit = detect_strength(v)
        weak = v if hit and hit[0] == 2 and hit[1] < 6 else None
    tr = SplitTracker()
    out = tr.phases([_phase(10, weak)], set(), {})
    assert not tr.structure and [k for k in out.scalars] == ["eval_loss"]
    out = tr.phases([_phase(20, weak)], set(), {})  # the same structure again: decided, back to 10
    assert tr.structure == {40: 2} and out.voids == [(["eval_loss"], [10])]
    assert [s for s, _ in out.scalars["eval_loss_split1"]] == [10, 20] and "eval_loss" not in out.scalars
    # the same losses from a loader sorted by class: one label per batch, or per segment
    clear = [rng.gauss(1.0, 0.05) for _ in range(20)] + [rng.gauss(2.0, 0.05) for _ in range(20)]
    by_batch = [(float(i // 4), float(i // 4), True) for i in range(40)]
    per_sample = [(float(i // 20), float(i // 20), False) for i in range(40)]
    mixed = [(0.0, 9.0, True)] * 40
    for targets, split in ((by_batch, False), (per_sample, False), (mixed, True), (None, True)):
        tr = SplitTracker()
        tr.phases([_phase(5, clear, targets)], set(), {})
        assert bool(tr.structure) == split, targets and targets[0]


# ----------------------------------------------------------------- recorder, in process
def _mlp():
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))


def _steps(model, opt, n, g, bad_at=None, log=None):
    norms = []
    for i in range(n):
        x, y = torch.randn(16, 6, generator=g), torch.randint(0, 3, (16,), generator=g)
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        if bad_at == i:
            model[0].weight.grad[0, 0] = float("nan")
        norms.append(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])).item())
        opt.step()
        if log is not None:  # after the step: the first captured norm is buffered already
            log(grad_norm=123.0)
    return norms


def test_grad_norm_every_step_exact_nonfinite_and_user_key(tmp_path):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model, other = _mlp(), nn.Linear(3, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    aux = torch.optim.SGD(other.parameters(), lr=0.05)  # a second optimiser: not the run's steps
    rec = Recorder(tmp_path / "r", flush_every=7).start()
    try:
        expected = []
        for i in range(30):
            expected += _steps(model, opt, 1, g, bad_at=0 if i == 29 else None)
            other(torch.randn(2, 3)).sum().backward()
            aux.step()
    finally:
        rec.stop()
    s = load_runs(tmp_path / "r")[0].series("grad_norm")
    assert list(s.steps) == list(range(1, 31))
    assert math.isnan(s.values[29]) and math.isnan(expected[29])  # a NaN gradient: a NaN norm
    ok = list(range(29))
    assert list(s.values[ok]) == pytest.approx([expected[i] for i in ok], rel=1e-5)

    rec = Recorder(tmp_path / "u").start()  # the script logs grad_norm itself: its numbers stand
    try:
        _steps(model, opt, 5, g, log=rec.log)
    finally:
        rec.stop()
    s = load_runs(tmp_path / "u")[0].series("grad_norm")
    assert list(s.steps) == [1, 2, 3, 4, 5] and list(s.values) == [123.0] * 5


def test_grad_norm_after_a_clip_is_exact_and_costs_no_pass(tmp_path, monkeypatch):
    """A step that called clip_grad_norm_ (on a generator, optimiser groups in another order)
    records the norm after the clip from the clip's own total: the same numbers, no norm pass."""
    from traindx.record import recorder
    passes = []
    norm = recorder.global_norm
    monkeypatch.setattr(recorder, "global_norm", lambda grads: passes.append(1) or norm(grads))
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model = _mlp()
    opt = torch.optim.AdamW([{"params": [model[2].weight, model[0].weight]},
                             {"params": [model[0].bias, model[2].bias], "weight_decay": 0.0}], lr=0.05)
    rec = Recorder(tmp_path / "c", every=1000).start()
    expected, clipped = [], 0
    try:
        for i in range(40):
            x, y = torch.randn(16, 6, generator=g), torch.randint(0, 3, (16,), generator=g)
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            if i < 30:  # the last ten steps do not clip: the recorder takes the norm itself
                total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.3)
                clipped += int(total > 0.3)
            expected.append(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])).item())
            opt.step()
    finally:
        rec.stop()
    s = load_runs(tmp_path / "c")[0].series("grad_norm")
    assert clipped > 10  # the clip did act
    assert list(s.values) == pytest.approx(expected, rel=1e-5)
    # steps 1-10 are sampled (their norm from the per-tensor statistics), 11-30 clip (from the
    # clip's total), 31-40 neither: only those ten paid for a pass over the gradients
    assert len(passes) == 10, len(passes)


def _eval_phase(model, values_like, split_gap, g):
    """An eval phase of len(values_like) loss calls: the first half on easy data (a split the
    model knows), the second on noise shifted by `split_gap`."""
    n = len(values_like)
    with torch.no_grad():
        for k in range(n):
            x = torch.randn(16, 6, generator=g)
            out = model(x)
            shift = split_gap if k >= n // 2 else 0.0
            F.mse_loss(out, 0.1 * torch.randn(out.shape, generator=g) + shift)


def test_split_seen_late_voids_the_mixed_points_written_before(tmp_path):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    model = _mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    rec = Recorder(tmp_path / "r", flush_every=5, flush_seconds=1e9).start()
    try:
        for phase, gap in enumerate((0.0, 0.0, 3.0, 3.0)):  # splits look alike at first
            _steps(model, opt, 5, g)  # flushes: the first phases are written as eval_loss
            model.eval()
            _eval_phase(model, range(20), gap, g)
            model.train()
        _steps(model, opt, 1, g)
    finally:
        rec.stop()
    run = load_runs(tmp_path / "r")[0]
    assert "eval_loss" not in run.scalars  # the mixed points written early are void now
    a, b = run.series("eval_loss_split1"), run.series("eval_loss_split2")
    assert list(a.steps) == list(b.steps) == [5, 10, 15, 20]
    assert (b.values[2:] > a.values[2:] + 5).all()
    assert sum("data splits" in n for n in run.notes) == 1


def test_eval_phase_has_no_host_reads_and_long_phases_are_said(tmp_path, host_reads):
    model = _mlp()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(0)
    rec = Recorder(tmp_path / "r", flush_every=10**9, flush_seconds=1e9).start()
    try:
        _steps(model, opt, 3, g)
        model.eval()
        _eval_phase(model, range(MAX_CALLS + 10), 0.0, g)
        model.train()
        _steps(model, opt, 2, g)
        during = dict(host_reads)
    finally:
        rec.stop()
    assert during == {} and not rec._disabled
    run = load_runs(tmp_path / "r")[0]
    assert len(run.series("eval_loss")) == 1
    assert any(f"more than {MAX_CALLS} loss calls" in n for n in run.notes)


# ----------------------------------------------------------------- the printed metrics
@pytest.mark.parametrize("line,want", [
    ("val loss 1.234", {"eval_loss": 1.234}),
    ("epoch 3 | val_loss: 1.2", {"eval_loss": 1.2}),
    ("validation loss = 0.5", {"eval_loss": 0.5}),
    ("valid_acc 0.91", {"eval_acc": 0.91}),
    ("eval/loss 0.3", {"eval_loss": 0.3}),
    ("test acc: 91.2%", {"test_acc": 0.912}),
    # the PyTorch examples: a line about one split names its metrics bare; a count is a fraction
    ("Test set: Average loss: 0.0331, Accuracy: 9893/10000 (99%)", {"test_loss": 0.0331, "test_acc": 0.9893}),
    ("Validation set: Average loss: 0.30, Accuracy: 91%", {"eval_loss": 0.3, "eval_acc": 0.91}),
    ("val: loss 0.3 acc 0.9", {"eval_loss": 0.3, "eval_acc": 0.9}),
    ("train: loss 0.3 acc 0.9", {}),
    ("Train Epoch: 1 [640/60000 (1%)]\tLoss: 0.521", {}),
    ("Test: best loss 0.2, loss 0.4", {"test_loss": 0.4}),
    ("step 250: train loss 1.2345, val loss 1.4567", {"eval_loss": 1.4567, "eval_train_loss": 1.2345}),
    ("loss: 0.52 - acc: 0.81 - val_loss: 0.61 - val_accuracy: 0.79", {"eval_loss": 0.61, "eval_acc": 0.79}),
    ("{'eval_loss': 0.69, 'eval_accuracy': 0.5, 'epoch': 1.0}", {"eval_loss": 0.69, "eval_acc": 0.5}),
    ("val loss nan", {"eval_loss": float("nan")}),
    ("iter 10: loss 2.3", {}),
    ("train loss 2.3", {}),
    ("best val loss 1.1", {}),
    ("Epoch 1: val_loss improved from inf to 0.5, saving model", {}),
    ("interval loss 3.0", {}),
    ("iter 19: val 2.345", {}),
    # a regression's errors, kept apart: the recorder takes them as the loss only under their objective
    ("train_mae 0.2459 val_mae 0.2493 test_mae 0.4401", {"eval_mae": 0.2493, "test_mae": 0.4401}),
    ("ep 4 | val rmse 1.50 | val r2 0.81", {"eval_rmse": 1.5}),
])
def test_parse_line(line, want):
    got = parse_line(line)
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, nan_ok=True)


class _Sink:
    def __init__(self, fail=False):
        self.got, self.fail, self.failed = [], fail, []

    def log_printed(self, metrics):
        if self.fail:
            raise RuntimeError("parser bug")
        self.got.append(metrics)

    def printed_failed(self, exc):
        self.failed.append(exc)


def test_tee_is_transparent_and_never_raises():
    stream, sink = io.StringIO(), _Sink()
    tee = StdoutTee(stream, sink)
    parts = ["val loss ", "1.5\nplain ", "text\r\n", "ünï ✓ test acc 50%", "\n", "tail "]
    for p in parts:
        assert tee.write(p) == len(p)
    tee.writelines(["val_acc: 0.25\n"])
    assert stream.getvalue() == "".join(parts) + "val_acc: 0.25\n"
    assert sink.got == [{"eval_loss": 1.5}, {"test_acc": 0.5}, {"eval_acc": 0.25}]
    assert isinstance(tee, io.StringIO) and tee.getvalue() == stream.getvalue()
    tee.custom = 1  # attributes are the stream's
    assert stream.custom == 1
    bad = _Sink(fail=True)
    tee = StdoutTee(io.StringIO(), bad)
    tee.write("val loss 1.0\n")
    tee.write("val loss 2.0\n")  # reading stopped after the first error, output goes on
    assert len(bad.failed) == 1 and tee.getvalue() == "val loss 1.0\nval loss 2.0\n"


def test_frequent_flushes_keep_the_printed_series_whole(tmp_path, monkeypatch):
    """On a slow machine the time-based flush falls between the first print and the second: the
    mixed step-0 phase is then voided after the script's own step-0 number was written, and the
    void must spare it (it once dropped eval_loss at step 0, only under load)."""
    import runpy

    from traindx.record import printed

    script = tmp_path / "gpt.py"
    script.write_text(GPT_SCRIPT, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(script), "--print"])
    rec = Recorder(tmp_path / "run", flush_every=1, flush_seconds=0.0).start()
    tee = printed.install(rec)
    try:
        runpy.run_path(str(script), run_name="__main__")
    finally:
        printed.uninstall(tee)
        rec.stop()
    run = load_runs(tmp_path / "run")[0]
    assert list(run.series("eval_loss").steps) == [0, 100, 200, 300]
    assert list(run.series("eval_train_loss").steps) == [0, 100, 200, 300]


def test_a_test_split_evaluated_every_epoch_is_the_validation_curve(tmp_path):
    """The PyTorch examples' layout: no validation split, the test split printed after every epoch
    ("Test set: Average loss: ..., Accuracy: n/N (p%)"). That curve is the run's held-out curve:
    read as validation (the report says so), so a training set of 120 examples overfits visibly."""
    script = ROOT / "tests" / "scripts" / "examples_style.py"
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json", str(script), "--epochs", "25")
    assert proc.returncode in (0, 1), proc.stderr
    doc = json_tail(proc.stdout)
    run = load_runs(tmp_path / "r")[0]
    assert len(run.series("test_loss")) == 25 and len(run.series("test_acc")) == 25
    assert 0.3 < run.series("test_acc").values[-1] < 1.0  # 6xx/1000, read as a fraction
    found = {f["problem"] for f in doc["findings"]}
    assert found & {"overfitting", "high_variance"}, doc["findings"]


def test_a_log_with_only_a_test_curve_reads_it_as_validation(tmp_path):
    """A log whose only held-out columns are the test split's, written every epoch."""
    n = 30
    test = [1.4 * 0.8 ** e if e < 8 else 0.25 + 0.04 * (e - 8) for e in range(n)]
    rows = ["epoch,train_loss,test_loss,test_acc"] + [
        f"{e},{1.4 * 0.75 ** e:.5f},{test[e]:.5f},{min(0.9, 0.4 + 0.06 * e) if e < 8 else 0.86:.3f}"
        for e in range(n)]
    log = tmp_path / "history.csv"
    log.write_text("\n".join(rows) + "\n")
    proc = traindx("diagnose", str(log), "--format", "json")
    doc = json_tail(proc.stdout)
    assert any("read as the validation curve" in n for n in doc["run"]["notes"]), doc["run"]["notes"]
    assert "overfitting" in {f["problem"] for f in doc["findings"]}, doc["findings"]
