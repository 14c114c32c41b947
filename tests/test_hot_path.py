"""The recorder's hot path: no host-device sync between flushes, bounded memory, exact statistics.

These tests fail if someone adds a per-step `.item()` / `.cpu()` / `float(t)` / `if t:` to the
recorder. Two independent proofs, both without a GPU:
- on CPU, every host-reading Tensor method is wrapped and calls made from traindx's own code are
  counted while steps run (none allowed) and at the flush (some expected: the proof is live);
- on the `meta` device, tensors have no data: any host read raises inside a recorder hook, which
  disables that part of the recorder; a meta training must end with no part disabled.
"""
from __future__ import annotations

import math
import sys
import tracemalloc
from pathlib import Path

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from traindx.record import Recorder
from traindx.record.stats import (ACT_STATS, PARAM_STATS, activation_stats, input_stats,
                                  param_stats, update_norms)

TRAINDX = str(Path(__file__).resolve().parents[1] / "traindx")
HOST_READS = ("item", "tolist", "cpu", "numpy", "__float__", "__int__", "__bool__", "__index__",
              "__array__")


def _model() -> nn.Module:
    return nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 16), nn.Sigmoid(),
                         nn.Linear(16, 3))


def _train(model, opt, steps: int, device="cpu", clip: bool = True) -> None:
    g = torch.Generator().manual_seed(0)
    for _ in range(steps):
        x = torch.randn(32, 12, generator=g).to(device)
        y = torch.randint(0, 3, (32,), generator=g).to(device)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        if clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()


@pytest.fixture
def host_reads(monkeypatch):
    """Counts host reads of tensors made from traindx's own code: {method: calls}."""
    calls: dict[str, int] = {}
    for name in HOST_READS:
        original = getattr(torch.Tensor, name, None)
        if original is None:
            continue

        def wrapper(self, *args, _name=name, _original=original, **kwargs):
            caller = sys._getframe(1).f_code.co_filename
            if caller.startswith(TRAINDX):
                calls[_name] = calls.get(_name, 0) + 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, wrapper)
    return calls


@pytest.mark.parametrize("every", [None, 1])
def test_no_host_reads_between_flushes(tmp_path, host_reads, every):
    torch.manual_seed(0)
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rec = Recorder(tmp_path / "r", every=every, flush_every=10**9, flush_seconds=1e9).start()
    try:
        _train(model, opt, 40)
        model.eval()
        with torch.no_grad():  # an eval pass: eval loss and accuracy are captured too
            F.cross_entropy(model(torch.randn(8, 12)), torch.randint(0, 3, (8,)))
        model.train()
        _train(model, opt, 3)
        during = dict(host_reads)
    finally:
        rec.stop()
    assert during == {}, f"host reads on the hot path (calls from traindx code): {during}"
    assert sum(host_reads.values()) > 0  # the flush does read: the counting itself works
    assert rec.step == 43 and not rec._disabled


def test_meta_device_training_never_reads_a_value(tmp_path):
    """On `meta` every tensor read fails; a hot path that reads would disable itself."""
    with torch.device("meta"):
        model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    rec = Recorder(tmp_path / "r", every=1, flush_every=10**9, flush_seconds=1e9).start()
    try:
        _train(model, opt, 12, device="meta")
        assert rec.step == 12
        assert rec._disabled == set(), rec._disabled
        assert len(rec._param_buf) == 12 and len(rec._act_buf) == 12
        assert all(st.device.type == "meta" for _, _, st, _ in rec._param_buf)
    finally:
        rec._flush_safely = lambda: None  # nothing on meta can be written; keep stop() quiet
        rec._buf, rec._param_buf, rec._act_buf = {}, [], []
        rec._labels.counts = {}
        rec.stop()


def test_buffers_and_memory_stay_bounded(tmp_path):
    torch.manual_seed(0)
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    rec = Recorder(tmp_path / "r", flush_every=100, flush_seconds=1e9).start()
    sizes = []
    try:
        _train(model, opt, 300, clip=False)
        tracemalloc.start()
        for _ in range(6):
            _train(model, opt, 250, clip=False)
            sizes.append(tracemalloc.get_traced_memory()[0])
            pending = sum(len(v) for v in rec._buf.values())
            assert pending <= 100 * 4  # train_loss, train_acc, lr, input stats: one each per step
            assert len(rec._param_buf) <= 100 and len(rec._act_buf) <= 100
            assert not rec._before and not rec._pending_loss and not rec._acts
        tracemalloc.stop()
    finally:
        rec.stop()
    # 1,500 more steps: Python-side memory does not grow with them (a leak would be per step)
    assert max(sizes) - min(sizes) < 200_000, sizes
    lines = (tmp_path / "r" / "scalars.jsonl").read_text().splitlines()
    assert len(lines) >= 3 * (1800 // 100)  # flushed all along, not held until the end


def test_paused_steps_are_not_recorded(tmp_path):
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    rec = Recorder(tmp_path / "r").start()
    try:
        _train(model, opt, 5)
        with rec.paused():
            _train(model, opt, 7)
        _train(model, opt, 5)
    finally:
        rec.stop()
    assert rec.step == 10


# ----------------------------------------------------------------- the fast formulas stay exact
def test_activation_stats_match_plain_formulas():
    torch.manual_seed(0)
    cases = [("ReLU", torch.randn(16, 8, 5, 5).relu()), ("Sigmoid", (3 * torch.randn(64, 20)).sigmoid()),
             ("Tanh", (4 * torch.randn(32, 6)).tanh()), ("Linear", torch.randn(10, 7) + 50.0),
             ("ReLU", torch.randn(40, 9).relu())]
    cases[-1][1][:, :3] = 0.0  # three dead units
    for kind, y in cases:
        got = dict(zip(ACT_STATS, activation_stats(y, kind).tolist()))
        units = y.transpose(0, 1).reshape(y.shape[1], -1)
        assert got["mean"] == pytest.approx(y.mean().item(), rel=1e-5, abs=1e-6)
        assert got["std"] == pytest.approx(y.std().item(), rel=1e-4)
        if kind == "ReLU":  # exact zeros are measured where they mean "unit off"
            assert got["zero_frac"] == pytest.approx((y == 0).float().mean().item())
        else:
            assert math.isnan(got["zero_frac"])
        if kind in ("ReLU", "Linear"):  # units judged over the whole batch where the check reads them
            assert got["dead_frac"] == pytest.approx((units.amax(1) <= 0).float().mean().item())
        else:
            assert math.isnan(got["dead_frac"])
        assert got["absmax"] == pytest.approx(y.abs().max().item())
        assert got["nonfinite"] == 0
        if kind in ("Sigmoid", "Tanh"):
            lo, hi = (0.0, 1.0) if kind == "Sigmoid" else (-1.0, 1.0)
            m = 0.02 * (hi - lo)
            assert got["sat_frac"] == pytest.approx(((y <= lo + m) | (y >= hi - m)).float().mean().item())
        else:
            assert math.isnan(got["sat_frac"])
    y = torch.randn(10, 4)
    y[1, 1], y[2, 2], y[3, 3] = float("nan"), float("inf"), -float("inf")
    assert activation_stats(y, "Linear")[ACT_STATS.index("nonfinite")].item() == 1  # "holds NaN/Inf"


def test_param_stats_match_plain_formulas():
    torch.manual_seed(0)
    params = [torch.randn(6, 5), torch.full((7,), 0.3), torch.randn(3)]
    grads = [torch.randn(6, 5), torch.randn(7), torch.randn(3)]
    grads[2][0] = float("nan")
    rows = param_stats(params, grads)
    assert rows.shape == (3, len(PARAM_STATS))
    got = [dict(zip(PARAM_STATS, r)) for r in rows.tolist()]
    for i in (0, 1):
        g, w = grads[i], params[i]
        assert got[i]["grad_norm"] == pytest.approx(g.norm().item(), rel=1e-5)
        assert got[i]["grad_mean"] == pytest.approx(g.mean().item(), rel=1e-4, abs=1e-6)
        assert got[i]["grad_std"] == pytest.approx(g.std(unbiased=False).item(), rel=1e-4)
        assert got[i]["grad_maxabs"] == pytest.approx(g.abs().max().item())
        assert got[i]["grad_nonfinite"] == 0
        assert got[i]["weight_norm"] == pytest.approx(w.norm().item(), rel=1e-5)
    assert got[0]["weight_std"] == pytest.approx(params[0].std().item(), rel=1e-4)
    assert got[1]["weight_std"] < 1e-6 * 0.3  # a constant tensor reads as constant (rel. 1e-4 needed)
    assert got[2]["grad_nonfinite"] == 1
    before = [p.clone() for p in params]
    after = [p + 0.01 for p in params]
    norms = update_norms(after, before)
    assert norms.tolist() == pytest.approx([0.01 * math.sqrt(p.numel()) for p in params], rel=1e-3)


def test_input_stats_keep_precision_for_offset_features():
    torch.manual_seed(0)
    x = torch.randn(256, 3) * torch.tensor([1.0, 0.01, 100.0]) + torch.tensor([0.0, 1e4, 5.0])
    mean, std, spread, offset, zeros, whole, max_abs = input_stats(x).tolist()
    per_feature = x.std(0)
    assert spread == pytest.approx((per_feature.max() / per_feature.min()).item(), rel=1e-3)
    assert offset == pytest.approx(x.mean(0).abs().max().item(), rel=1e-5)
    assert std == pytest.approx(x.std().item(), rel=1e-4)
    assert zeros == 0.0 and whole < 0.05  # (float32 near 1e4 rounds a few values to whole numbers)
    assert max_abs == pytest.approx(x.abs().max().item())
    counts = torch.poisson(torch.full((64, 500), 0.05))  # a bag of words: sparse whole numbers
    *_, zeros, whole, _ = input_stats(counts).tolist()
    assert zeros == pytest.approx((counts == 0).float().mean().item()) and whole == 1.0


def test_update_norm_from_a_strided_sample_is_within_a_few_percent():
    """Large tensors keep a strided sample of their weights for the update norm (no full copy);
    the estimate is close to the exact norm for an Adam and an SGD step, and exact for small ones."""
    from traindx.record.stats import UPDATE_SAMPLE, update_norms, weight_sample
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
    for opt in (torch.optim.Adam(model.parameters(), lr=1e-3), torch.optim.SGD(model.parameters(), lr=0.1)):
        params = list(model.parameters())
        F.cross_entropy(model(x), y).backward()
        exact_before = [p.detach().clone() for p in params]
        kept = weight_sample(params)
        assert kept[0].numel() < params[0].numel() and kept[1].numel() == params[1].numel() <= UPDATE_SAMPLE
        opt.step()
        opt.zero_grad()
        exact = [float((p.detach() - b).norm()) for p, b in zip(params, exact_before)]
        got = update_norms(params, kept).tolist()
        assert got[1] == pytest.approx(exact[1], rel=1e-5) and got[3] == pytest.approx(exact[3], rel=1e-5)
        assert got[0] == pytest.approx(exact[0], rel=0.05) and got[2] == pytest.approx(exact[2], rel=0.05)


def test_the_sampled_steps_global_norm_reuses_the_per_tensor_norms(tmp_path):
    """On a sampled step the global gradient norm comes from the per-parameter norms just taken
    (no second pass), and equals the norm over all gradients."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    rec = Recorder(tmp_path / "run", every=1).start()
    try:
        x, y = torch.randn(16, 20), torch.randint(0, 3, (16,))
        F.cross_entropy(model(x), y).backward()
        expected = float(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in model.parameters()])))
        opt.step()
        assert float(rec._buf["grad_norm"][-1][1]) == pytest.approx(expected, rel=1e-6)
    finally:
        rec.stop()


def test_large_outputs_take_moments_on_a_batch_sample_and_extremes_on_all():
    torch.manual_seed(0)
    y = (torch.randn(256, 32, 8, 8) + 0.3).relu()
    y[:, 5] = 0.0  # a dead channel
    y[3, 7, 0, 0] = 50.0  # one extreme in a sample the batch sample skips
    got = dict(zip(ACT_STATS, activation_stats(y, "ReLU").tolist()))
    assert got["absmax"] == 50.0 and got["dead_frac"] == pytest.approx(1 / 32)
    assert got["mean"] == pytest.approx(y.mean().item(), rel=0.03)
    assert got["std"] == pytest.approx(y.std().item(), rel=0.03)
    assert got["zero_frac"] == pytest.approx((y == 0).float().mean().item(), rel=0.03)


def test_layers_before_relu_modules_skip_whole_batch_unit_maxima(tmp_path):
    """With ReLU modules the dead-unit check reads them, so the Linear layers before them take no
    per-unit maxima (dead_frac not measured); a model calling F.relu keeps them on its Linears."""
    import numpy as np

    from traindx.runs import load_runs

    class Functional(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(8, 16), nn.Linear(16, 2)

        def forward(self, x):
            return self.fc2(F.relu(self.fc1(x)))

    dead = {}
    for label, model in (("modules", nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))),
                         ("functional", Functional())):
        rec = Recorder(tmp_path / label).start()
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(3):
            loss = F.cross_entropy(model(torch.randn(32, 8)), torch.randint(0, 2, (32,)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        rec.stop()
        acts = load_runs(tmp_path / label)[0].activations
        measured = acts.get("dead_frac")
        dead[label] = {n: float(np.nanmax(measured[:, i], initial=-1.0)) for i, n in enumerate(acts.layers)}
    assert dead["modules"]["0"] == -1.0 and dead["modules"]["1"] >= 0.0  # -1: never measured
    assert dead["functional"]["fc1"] >= 0.0
