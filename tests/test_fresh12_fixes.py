"""Classes of error of the fresh12 round, each on a real small training with its control (or the
corpus case itself): an optimiser step that is never reached, or that a GradScaler skips on every
non-finite loss (read as "no training step": not judged); LBFGS (a step's loss was the mean of its
closure calls on moved weights; an lr above its quasi-Newton step went unjudged); a layer with no
gradient in a model too shallow for a depth profile; a one-channel segmentation map's pixels (no
label counts); a test accuracy printed once at the end (held back as a summary); a GCN called with
its adjacency first (its node features unjudged); parameters in no optimiser's param groups, and
a crushing weight decay whose loss ends above its best (neither named as high bias).
"""
from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F

import traindx
from traindx.api import diagnose_path
from conftest import full_only


def _diagnose(path):
    ((run, diagnosis, _),) = diagnose_path(path)
    return run, {f.problem: f for f in diagnosis.findings}


def _blobs(n, seed):
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(3, 8, generator=torch.Generator().manual_seed(7)) * 2
    y = torch.randint(0, 3, (n,), generator=g)
    return centers[y] + torch.randn(n, 8, generator=g), y


def _accumulating(every: int, modulus: int):
    """Gradient accumulation that steps when `(i + 1) % modulus == every`: with every == modulus
    (the planted typo) the step is never reached; with every == 0 it runs each `modulus` batches."""
    x, y = _blobs(512, 0)
    xv, yv = _blobs(128, 1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    def train():
        for epoch in range(5):
            for i in range(0, 512, 16):
                F.cross_entropy(model(x[i:i + 16]), y[i:i + 16]).backward()
                if (i // 16 + 1) % modulus == every:
                    opt.step()
                    opt.zero_grad()
            with torch.no_grad():
                F.cross_entropy(model(xv), yv)
    return train, lambda: F.cross_entropy(model(xv), yv).item()


def test_an_optimiser_step_never_reached_is_a_model_that_never_trained(tmp_path):
    results = {}
    for name, every in (("planted", 4), ("control", 0)):
        train, val_loss = _accumulating(every, 4)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            train()
        results[name] = (*_diagnose(w.path), val_loss())
    run, found, loss = results["planted"]
    control_run, control_found, control_loss = results["control"]
    assert control_loss < 0.5 * loss  # the premise: the control learns, the planted run does not
    assert run.steps == 0 and control_run.steps == 40
    f = found["non_convergence"]
    assert f.severity.value == "error" and f.evidence["criterion"] == "never_updated"
    assert f.evidence["backward_passes"] == 160 and "160 backward passes" in f.summary
    assert "non_convergence" not in control_found


def _lbfgs_run(out, lr):
    """Full-batch LBFGS with no line search (max_iter 5: five closure calls per step)."""
    x, y = _blobs(256, 2)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3))
    with torch.no_grad():
        initial = F.cross_entropy(model(x), y).item()
    opt = torch.optim.LBFGS(model.parameters(), lr=lr, max_iter=5)

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss

    with traindx.watch(out=out, alerts=False, every=1) as w:
        for _ in range(12):
            opt.step(closure)
    return initial, *_diagnose(w.path)


def test_lbfgs_step_loss_is_its_first_closure_call_and_an_lr_above_its_own_step_is_too_high(tmp_path):
    """LBFGS evaluates its closure several times per step, on weights it already moved: the step's
    loss is the first call's (what step() returns), so the first recorded loss is the model as
    initialised (it was the mean of five calls, 4000x ln 3, read as a confidently wrong init). Its
    lr multiplies the quasi-Newton step: lr 50 with no line search diverges, lr 1 (the default) fits."""
    initial, run, found = _lbfgs_run(tmp_path / "planted", 50.0)
    control_initial, control_run, control_found = _lbfgs_run(tmp_path / "control", 1.0)
    assert run.series("train_loss").values[0] == pytest.approx(initial, rel=1e-5)
    assert control_run.series("train_loss").values[0] == pytest.approx(control_initial, rel=1e-5)
    assert control_run.series("train_loss").values[-1] < 0.2 * control_initial  # lr 1 trains
    f = found["learning_rate_too_high"]
    assert f.evidence["criterion"] == "lbfgs_lr" and "lr 50" in f.summary
    assert "poor_initialization" not in found
    assert not {"learning_rate_too_high", "poor_initialization"} & set(control_found)


class _Sign(torch.autograd.Function):
    """sign() forward; backward either its true derivative (zero) or straight-through."""
    @staticmethod
    def forward(ctx, x, straight):
        ctx.save_for_backward(x)
        ctx.straight = straight
        return torch.sign(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return (g * (x.abs() <= 1).float() if ctx.straight else torch.zeros_like(g)), None


def test_a_layer_with_no_gradient_beside_one_with_some_is_vanishing_without_a_depth_profile(tmp_path):
    """A binary bottleneck whose backward returns the sign's true derivative (zero): the encoder
    gets no gradient at all. Two weight layers besides the output are no depth profile, but a
    layer with exactly zero gradient beside one that learns is evidence enough; a straight-through
    backward (the control) passes it."""
    x, y = _blobs(512, 3)
    results = {}
    for name, straight in (("planted", False), ("control", True)):
        torch.manual_seed(0)
        enc, mid, head = nn.Linear(8, 16), nn.Linear(16, 16), nn.Linear(16, 3)
        opt = torch.optim.Adam([*enc.parameters(), *mid.parameters(), *head.parameters()], lr=1e-2)

        def train():
            for i in range(0, 512 * 4, 32):
                j = torch.arange(i, i + 32) % 512
                out = head(torch.relu(mid(_Sign.apply(enc(x[j]), straight))))
                opt.zero_grad()
                F.cross_entropy(out, y[j]).backward()
                opt.step()
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            train()
        results[name] = _diagnose(w.path)[1]
    f = results["planted"]["vanishing_gradients"]
    assert f.severity.value == "error" and f.layers[0].endswith("weight") and "no gradient" in f.summary
    assert "vanishing_gradients" not in results["control"]


def test_a_one_channel_segmentation_map_counts_its_pixels_as_binary_labels(tmp_path):
    """Per-pixel BCE on [N, 1, H, W] maps: each pixel is a binary label (it was taken for a
    multi-label output: accuracy only, no counts). Rare, faint defects (about 1% of the pixels)
    that plain BCE learns to ignore are class imbalance, with the model's recall of them."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(256, 1, 16, 16, generator=g) * 0.5
    y = torch.zeros(256, 1, 16, 16)
    for i in range(256):  # a 2x2 defect in half the images, barely brighter than the noise
        if i % 2:
            r, c = torch.randint(0, 14, (2,), generator=g).tolist()
            y[i, 0, r:r + 2, c:c + 2] = 1.0
    x = x + 0.3 * y
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with traindx.watch(out=tmp_path / "seg", alerts=False, every=1) as w:
        for epoch in range(3):
            for i in range(0, 256, 32):
                opt.zero_grad()
                F.binary_cross_entropy_with_logits(model(x[i:i + 32]), y[i:i + 32]).backward()
                opt.step()
            with torch.no_grad():
                F.binary_cross_entropy_with_logits(model(x), y)
    run, found = _diagnose(w.path)
    counts = run.labels["train_counts"]
    assert counts[1] == int(y.sum().item()) * 3 and counts[0] + counts[1] == y.numel() * 3  # every pixel
    recall = run.labels["eval_correct"][1] / run.labels["eval_counts"][1]
    assert recall < 0.5 and found["class_imbalance"].severity.rank >= 1


SHIFTED_TEST_SCRIPT = """
import sys
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
g = torch.Generator().manual_seed(0)
centers = torch.randn(4, 8, generator=g) * 2
def draw(n, shift=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    return centers[y] + torch.randn(n, 8, generator=g) + shift, y
x, y = draw(1024)
xv, yv = draw(256)
xt, yt = draw(256, float(sys.argv[1]))
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
acc = lambda a, b: (model(a).argmax(1) == b).float().mean().item()
for epoch in range(8):
    for i in range(0, 1024, 32):
        opt.zero_grad()
        F.cross_entropy(model(x[i:i + 32]), y[i:i + 32]).backward()
        opt.step()
    with torch.no_grad():
        print(f"epoch {epoch} val_acc {acc(xv, yv):.3f}")
with torch.no_grad():
    print(f"train acc {acc(x, y):.3f} | val acc {acc(xv, yv):.3f} | test acc {acc(xt, yt):.3f}")
"""


@full_only
def test_a_test_accuracy_printed_once_at_the_end_is_the_test_split(tmp_path):
    """`test acc 0.144` printed once after training (a summary line) is the test split's number:
    nothing captured bears that name, so it is kept (an eval metric printed once still only names
    splits). A test split whose inputs moved is data mismatch against its control."""
    from conftest import traindx
    script = tmp_path / "shifted.py"
    script.write_text(SHIFTED_TEST_SCRIPT)
    found = {}
    for shift in ("0", "3"):
        out = tmp_path / f"run{shift}"
        proc = traindx("run", "--out", str(out), str(script), shift, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        printed = float(proc.stdout.split("test acc ")[1].split()[0])
        run, problems = _diagnose(out)
        assert list(run.series("test_acc").values) == pytest.approx([printed], abs=1e-3)
        found[shift] = (printed, problems)
    assert found["0"][0] > 0.8 and found["3"][0] < found["0"][0] - 0.3  # the premise: the shift hurts
    assert "data_mismatch" in found["3"][1] and "data_mismatch" not in found["0"][1]


class _GCN(nn.Module):
    """Kipf & Welling's two layers written by hand: forward(A_hat, X), the adjacency first."""
    def __init__(self):
        super().__init__()
        self.w1, self.w2 = nn.Linear(6, 16), nn.Linear(16, 3)

    def forward(self, a_hat, x):
        return a_hat @ self.w2(torch.relu(a_hat @ self.w1(x)))


def test_a_model_called_with_its_graph_first_has_its_node_features_judged(tmp_path):
    """A GCN's forward takes the normalised adjacency (entries in [0, 1]) before the node features:
    the data input is the tensor whose features fit the first weight layer, not the first argument.
    Raw features (a count column and a 0-3000 'days' column) are unnormalised; standardised, not."""
    g = torch.Generator().manual_seed(0)
    n = 300
    y = torch.randint(0, 3, (n,), generator=g)
    adj = (torch.rand(n, n, generator=g) < torch.where(y[:, None] == y[None, :], 0.05, 0.005)).float()
    adj = ((adj + adj.T) > 0).float() + torch.eye(n)
    d = adj.sum(1).rsqrt()
    a_hat = d[:, None] * adj * d[None, :]
    raw = torch.cat([torch.randn(n, 4, generator=g) + y[:, None].float(), adj.sum(1, keepdim=True),
                     torch.rand(n, 1, generator=g) * 3000], 1)
    results = {}
    for name, x in (("raw", raw), ("standardised", (raw - raw.mean(0)) / raw.std(0))):
        torch.manual_seed(0)
        model = _GCN()
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for _ in range(60):
                opt.zero_grad()
                F.cross_entropy(model(a_hat, x)[:200], y[:200]).backward()
                opt.step()
        results[name] = _diagnose(w.path)
    run, found = results["raw"]
    assert found["unnormalized_inputs"].severity.rank >= 1
    assert "unnormalized_inputs" not in results["standardised"][1]


def test_every_step_skipped_by_a_grad_scaler_is_a_non_finite_loss_not_a_missing_step(tmp_path):
    """float16 autocast on CPU with a GradScaler; a logit scale of 1e6 overflows fp16 (max 65504):
    every loss is NaN/Inf, the scaler skips every optimiser step, the model never trains. The
    cause is named (non_finite, before any update: no lr advice); the control (scale 10) trains (the scaler skips its first few steps while it finds its scale)."""
    x, y = _blobs(512, 4)
    results = {}
    for name, scale in (("planted", 1e6), ("control", 10.0)):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 3))
        opt = torch.optim.SGD(model.parameters(), lr=0.05)
        scaler = torch.amp.GradScaler("cpu")
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for epoch in range(2):
                for i in range(0, 512, 32):
                    opt.zero_grad()
                    with torch.autocast("cpu", dtype=torch.float16):
                        logits = F.normalize(model(x[i:i + 32]), dim=1) * scale
                        loss = F.cross_entropy(logits, y[i:i + 32])
                    scaler.scale(loss).backward()
                    scaler.step(opt)
                    scaler.update()
        results[name] = _diagnose(w.path)
    run, found = results["planted"]
    assert run.steps == 0 and found["non_finite"].severity.value == "error"
    assert found["non_finite"].evidence["backward_passes_non_finite"] == 32
    assert found["non_convergence"].evidence["criterion"] == "never_updated"
    control_run, control_found = results["control"]
    assert control_run.steps > 20 and not {"non_finite", "non_convergence"} & set(control_found)


def test_parameters_left_out_of_every_param_group_are_a_constraint_on_the_fit(tmp_path):
    """Param groups built by a name filter ("backbone.") that matches nothing of a module named
    "encoder": 88% of the model gets gradients that no optimiser applies, and the model underfits.
    Named as high bias with that constraint (its remedy: give them to the optimiser); the control
    (the filter fixed) fits, and a deliberate freeze (requires_grad=False: no gradients) is no such
    constraint."""
    g = torch.Generator().manual_seed(5)
    centers = torch.randn(10, 16, generator=g) * 1.2
    y = torch.randint(0, 10, (2048,), generator=g)
    x = centers[y] + torch.randn(2048, 16, generator=g)
    results = {}
    for name, prefix, freeze in (("planted", "backbone.", False), ("control", "encoder.", False),
                                 ("frozen", "encoder.", True)):
        torch.manual_seed(0)
        model = nn.Sequential()
        model.add_module("encoder", nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 4), nn.ReLU()))
        model.add_module("head", nn.Linear(4, 10))
        if freeze:
            model.encoder.requires_grad_(False)
        named = list(model.named_parameters())
        groups = [{"params": [p for n, p in named if n.startswith(prefix) and p.requires_grad], "lr": 3e-3},
                  {"params": [p for n, p in named if n.startswith("head.")], "lr": 1e-2}]
        opt = torch.optim.Adam([gr for gr in groups if gr["params"]])
        with traindx.watch(out=tmp_path / name, alerts=False) as w:
            for epoch in range(6):
                for i in range(0, 2048, 64):
                    opt.zero_grad()
                    F.cross_entropy(model(x[i:i + 64]), y[i:i + 64]).backward()
                    opt.step()
        results[name] = _diagnose(w.path)
    run, found = results["planted"]
    assert run.meta["unoptimised"]["params"][0] == "encoder.0.weight"
    f = found["high_bias"]
    assert f.evidence["constraint"] == "unoptimised" and "in no optimiser's param groups" in f.summary
    assert "high_bias" not in results["control"][1]
    assert "unoptimised" not in results["frozen"][0].meta


@full_only
def test_a_crushing_weight_decay_whose_loss_ends_above_its_best_is_high_bias(tmp_path):
    """fresh12's weight_decay 0.2 given to every param group (meant 5e-4 on the weights), run as the
    corpus case: the loss falls to 1.3, the decay pulls the weights to a tenth of their norm and the
    loss climbs back to 2.2, then drifts down 9% over the last half. Not flat, but ended well above
    the level it held: the constraint (the decay) is the cause; the control's decay fits."""
    from conftest import traindx
    case = "tests/corpus/fresh12_modern_idioms/high_bias_weight_decay_typo_on_all_groups.py"
    found = {}
    for name, args in (("planted", []), ("control", ["--control"])):
        proc = traindx("run", "--out", str(tmp_path / name), case, *args, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        found[name] = _diagnose(tmp_path / name)[1]
    f = found["planted"]["high_bias"]
    assert f.evidence["constraint"] == "weight_decay" and f.evidence["late_relative_drop"] >= 0.05
    assert "the best level it held" in f.summary
    assert "high_bias" not in found["control"]


def test_raw_inputs_that_silence_an_lstm_are_the_root_of_its_missing_gradient(tmp_path):
    """Raw sales figures (~5,000) into an LSTM drive its gates and tanh to their bounds: its
    recurrent weights get no gradient at all. The inputs are named first, the missing gradient as
    their consequence (it read as the root cause, ahead of the inputs, in fresh6)."""
    g = torch.Generator().manual_seed(0)
    base = 5000 + 800 * torch.sin(torch.arange(24.0)[None, :, None] / 3 + torch.rand(256, 1, 1, generator=g) * 6)
    x = base + 100 * torch.randn(256, 24, 1, generator=g)
    y = x[:, -1, 0] * 1.1
    torch.manual_seed(0)
    lstm, fc = nn.LSTM(1, 16, batch_first=True), nn.Linear(16, 1)
    opt = torch.optim.Adam([*lstm.parameters(), *fc.parameters()], lr=1e-2)
    with traindx.watch(out=tmp_path / "raw", alerts=False) as w:
        for epoch in range(4):
            for i in range(0, 256, 32):
                opt.zero_grad()
                out, _ = lstm(x[i:i + 32])
                F.mse_loss(fc(out[:, -1]).squeeze(1), y[i:i + 32]).backward()
                opt.step()
    _, found = _diagnose(w.path)
    assert found["unnormalized_inputs"].caused_by is None
    assert found["vanishing_gradients"].caused_by == "unnormalized_inputs"
