"""Classes of error of the fresh14 round, each on a real small training with its control: LoRA
adapters attached to a pre-trained model at an lr far too high (the adapters were unnamed, left out
of the update ratios, and the new phase's first updates fell between two samples); a loss below
zero that turns NaN at its best (read as a climb: a ratio of negative numbers); a TD-like loss
that fell from its first points and stayed flat (read as "rose", an error); a log's placeholder
NaN, a crashed first attempt of a dozen steps, metric names nested under `metrics/`; a regression
whose targets spread more as training goes on (an actor-critic's returns).
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from conftest import ROOT, traindx, full_only

from traindx.api import diagnose_path


def _findings(path) -> dict:
    ((_, diagnosis, _),) = diagnose_path(path)
    return {f.problem: f for f in diagnosis.findings}


def _warned(found: dict) -> set[str]:
    return {p for p, f in found.items() if f.severity.value in ("warning", "error")}


# pre-training a small MLP, then LoRA on its hidden layer (base frozen, A random, B zero) trained by
# a new AdamW at the lr given in argv[1]
LORA_SCRIPT = """
import sys
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
g = torch.Generator().manual_seed(0)
x = torch.randn(2048, 16, generator=g)
w = torch.randn(16, 4, generator=g)
y = (x @ w).argmax(1)
y2 = (x @ w.roll(1, 1)).argmax(1)  # the fine-tuning task: the classes permuted by input
model = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 4))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
for step in range(120):
    i = (step * 64) % 2048
    opt.zero_grad(); F.cross_entropy(model(x[i:i + 64]), y[i:i + 64]).backward(); opt.step()

class LoRA(nn.Module):
    def __init__(self, base, r=4):
        super().__init__()
        self.base = base
        self.lora_A = nn.Parameter(torch.randn(r, base.in_features) / base.in_features ** 0.5)
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
    def forward(self, h):
        return self.base(h) + h @ self.lora_A.T @ self.lora_B.T

for p in model.parameters():
    p.requires_grad_(False)
model[2], model[4] = LoRA(model[2]), LoRA(model[4])
adapters = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(adapters, lr=float(sys.argv[1]))
for step in range(150):
    i = (step * 64) % 2048
    opt.zero_grad(); F.cross_entropy(model(x[i:i + 64]), y2[i:i + 64]).backward(); opt.step()
with torch.no_grad():
    print("final accuracy", (model(x).argmax(1) == y2).float().mean().item())
"""


@full_only
def test_lora_adapters_attached_after_pretraining_at_a_far_too_high_lr(tmp_path):
    """The adapters are parameters the recorder had not seen when it named the model: they are
    named (its model described again) and their update ratios judged; the fine-tuning phase gets
    its own dense start, so its first updates are measured (lr 1 moves them by their own norm
    and more; 3e-3, the control, is healthy)."""
    script = tmp_path / "lora.py"
    script.write_text(LORA_SCRIPT)
    found, acc = {}, {}
    for lr in ("1.0", "3e-3"):
        out = tmp_path / f"run_{lr}"
        proc = traindx("run", "--out", str(out), str(script), lr, timeout=300)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        acc[lr] = float(proc.stdout.split("final accuracy")[1].split()[0])
        found[lr] = _findings(out)
        shapes = {}
        for line in (out / "events.jsonl").read_text().splitlines():
            ev = json.loads(line)
            if ev.get("event") == "model":
                shapes.update(ev.get("param_shapes") or {})
        assert any(name.endswith("lora_A") for name in shapes), sorted(shapes)  # named, not "param12[4, 64]"
    assert acc["3e-3"] > acc["1.0"] + 0.1, acc  # the planted lr really hurts
    assert "learning_rate_too_high" in _warned(found["1.0"]), {p: f.summary for p, f in found["1.0"].items()}
    assert "learning_rate_too_high" not in found["3e-3"], found["3e-3"]["learning_rate_too_high"].summary


def _write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _gaussian_nll_training(var_floor: float | None, lr: float, steps: int = 200) -> list[float]:
    """A heteroscedastic regression under a Gaussian NLL (it goes below zero as the predicted
    variance shrinks). var_floor None: the raw output is the variance (it reaches <= 0: NaN at the
    loss's best); else softplus + floor. The per-step losses, up to the first NaN."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    x = torch.rand(512, 1) * 4 - 2
    y = torch.sin(2 * x) + 0.05 * torch.randn(512, 1)
    model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 2))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        mean, raw = model(x).unbind(1)
        var = raw if var_floor is None else nn.functional.softplus(raw) + var_floor
        loss = (0.5 * torch.log(var) + 0.5 * (y[:, 0] - mean) ** 2 / var).mean()
        losses.append(loss.item())
        if loss.isnan():
            break  # (the script stops at its first NaN, as many do)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return losses


def test_a_loss_below_zero_that_turns_nan_at_its_best_is_a_numeric_fault_not_the_lr(tmp_path):
    """A ratio of negative losses says nothing: -0.07 is not "1.5x above" a best of -0.1. A NaN at
    the loss's best (the raw variance reached zero) is non_finite alone; a loss that climbed far
    above its best before the NaN is still the lr's."""
    planted = _gaussian_nll_training(None, 1e-2)
    assert any(v != v for v in planted) and min(v for v in planted if v == v) < 0  # NaN, after going below 0
    _write_csv(tmp_path / "nll.csv", ["step", "loss"], [(i, v) for i, v in enumerate(planted)])
    found = _findings(tmp_path / "nll.csv")
    assert "non_finite" in found and "learning_rate_too_high" not in found, \
        {p: f.summary for p, f in found.items()}
    control = _gaussian_nll_training(1e-3, 1e-2)
    assert all(v == v for v in control)  # the floor removes the cause
    # a climb before the NaN: the same losses, then a rise of half their range and more
    climbed = control[:150] + [control[149] + k * 1.0 for k in range(1, 6)] + [float("nan")] * 10
    _write_csv(tmp_path / "climb.csv", ["step", "loss"], [(i, v) for i, v in enumerate(climbed)])
    assert "learning_rate_too_high" in _findings(tmp_path / "climb.csv")


def _td_like_losses(lr: float, steps: int = 600) -> list[float]:
    """A small value network fitting a fixed noisy target: at lr 1e-2 it falls within the first
    tenth to its noise floor and stays; at lr 0 it never moves. Per-step MSE."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    x = torch.randn(256, 4)
    y = 0.05 * x.sum(1, keepdim=True) + 0.003 * torch.randn(256, 1)
    model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    out = []
    for step in range(steps):
        i = (step * 32) % 256
        loss = nn.functional.mse_loss(model(x[i:i + 32]), y[i:i + 32])
        out.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return out


def test_a_loss_that_fell_from_its_first_points_and_stayed_flat_is_no_rising_loss(tmp_path):
    """No accuracy, no targets' variance in the log: a loss that fell from its first points within
    the first tenth and drifts a little after is at most a note ("converged early, or fitted only
    the targets' mean"), never "rose" at error severity; a loss that never fell is still a warning."""
    fitted = _td_like_losses(1e-2)
    assert min(fitted[:5]) > 10 * max(fitted[-60:])  # it did fall by an order within the first tenth
    _write_csv(tmp_path / "td.csv", ["step", "loss"], [(i, v) for i, v in enumerate(fitted)])
    found = _findings(tmp_path / "td.csv")
    assert "non_convergence" not in _warned(found), found["non_convergence"].summary
    stuck = _td_like_losses(0.0)
    _write_csv(tmp_path / "stuck.csv", ["step", "loss"], [(i, v) for i, v in enumerate(stuck)])
    assert "non_convergence" in _warned(_findings(tmp_path / "stuck.csv"))


def test_log_mess_placeholder_nan_crashed_attempt_and_nested_metric_names(tmp_path):
    """One real training's log written as logs are in the wild: an evaluation before training
    whose train loss is a `nan` placeholder (no NaN of the training), a first attempt that crashed
    after 12 steps (too short to call the lr too low from its loss, or healthy: not judged), and
    JSON records nesting the names (`metrics/train/mse`)."""
    losses = _td_like_losses(3e-4, steps=300)
    rows = [(0, "nan", 0.31)] + [(i + 1, v, "") for i, v in enumerate(losses)]
    _write_csv(tmp_path / "placeholder.csv", ["step", "train_loss", "val_loss"], rows)
    assert "non_finite" not in _findings(tmp_path / "placeholder.csv")
    poisoned = rows[:150] + [(i, "nan", "") for i in range(150, 160)]
    _write_csv(tmp_path / "poisoned.csv", ["step", "train_loss", "val_loss"], poisoned)
    assert "non_finite" in _findings(tmp_path / "poisoned.csv")  # a NaN of the training still is one
    _write_csv(tmp_path / "attempt_1.csv", ["step", "loss"], [(i, v) for i, v in enumerate(losses[:12])])
    ((_, attempt, _),) = diagnose_path(tmp_path / "attempt_1.csv")
    assert "learning_rate_too_low" not in {f.problem for f in attempt.findings}
    assert attempt.verdict == "not judged" and "loss alone" in attempt.limits[0]  # too short: no green
    _write_csv(tmp_path / "longer.csv", ["step", "loss"], list(enumerate(losses)))
    ((_, longer, _),) = diagnose_path(tmp_path / "longer.csv")
    assert longer.verdict != "not judged"
    with open(tmp_path / "nested.jsonl", "w") as f:
        f.write(json.dumps({"config": {"lr": 3e-4, "epochs": 1}}) + "\n")
        for i, v in enumerate(losses):
            f.write(json.dumps({"step": i, "metrics": {"train": {"mse": v, "lr": 3e-4}}}) + "\n")
            if i % 50 == 49:
                f.write(json.dumps({"step": i, "metrics": {"val": {"mse": v * 1.1}}}) + "\n")
    proc = traindx("diagnose", str(tmp_path / "nested.jsonl"), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert {"train_loss", "eval_loss"} <= set(doc["run"]["signals"]), doc["run"]["signals"]


# a critic-like regression whose targets spread more and more as training goes on (returns that
# grow as a policy improves); argv[1] is the lr (0: the control that never learns)
GROWING_TARGETS_SCRIPT = """
import sys
import torch
from torch import nn
from torch.nn import functional as F
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=float(sys.argv[1]))
w = torch.tensor([[1.0], [-0.5], [0.3], [0.8]])
for step in range(600):
    scale = 1.0 + step / 60  # the returns' spread grows ~10x over the run
    x = torch.randn(64, 4)
    target = scale * torch.tanh(x @ w) + 0.05 * torch.randn(64, 1)
    loss = F.mse_loss(model(x) * scale, target)
    opt.zero_grad(); loss.backward(); opt.step()
print("final loss", loss.item())
"""


@full_only
def test_a_regression_whose_targets_spread_more_as_it_trains_is_judged_at_the_end(tmp_path):
    """The chance level of a regression (always predicting the targets' mean) is their variance
    where the loss it is compared with ends: a critic whose targets grew 10x is not "worse than a
    constant" by their early variance; a model that does not learn (lr 0) still is."""
    script = tmp_path / "critic.py"
    script.write_text(GROWING_TARGETS_SCRIPT)
    found = {}
    for lr in ("3e-3", "0"):
        out = tmp_path / f"run_{lr}"
        proc = traindx("run", "--out", str(out), str(script), lr, timeout=300)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        found[lr] = _findings(out)
    assert "non_convergence" not in _warned(found["3e-3"]), found["3e-3"]["non_convergence"].summary
    assert "non_convergence" in _warned(found["0"])


def test_an_actor_critic_log_whose_loss_rises_as_its_return_grows_is_healthy(tmp_path):
    """fresh14's A2C on a CartPole-like task (the corpus case itself, run as its author ran it):
    its critic's loss rises 20x as the returns it predicts grow; the log's return column (0 ->
    ~187 of 200) is what the run optimises. Read with its return: healthy. The same log without
    that column is judged by its loss alone, and a loss that jumps 20x is a too-high lr: the
    return is what clears it."""
    case = ROOT / "tests/corpus/fresh14_rl_online/healthy_a2c_cartpole_value_loss_rises_csv.py"
    env = {**os.environ, "CORPUS_LOG_DIR": str(tmp_path), "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, str(case)], env=env, check=True, capture_output=True, timeout=300)
    log = tmp_path / "a2c_cartpole.csv"
    rows = list(csv.reader(log.open()))
    returns = [float(r[-1]) for r in rows[1:]]
    assert rows[0][-1] == "mean_return" and max(returns[-20:]) > 150 > returns[0] + 100  # it learned
    assert _warned(_findings(log)) == set(), {p: f.summary for p, f in _findings(log).items()}
    _write_csv(tmp_path / "no_return.csv", rows[0][:-1], [r[:-1] for r in rows[1:]])
    assert "learning_rate_too_high" in _findings(tmp_path / "no_return.csv")


def _fraud_like_log(path, weighted: bool) -> None:
    """A 3%-positive detector trained with plain BCE (planted) or pos_weight (control); its log
    writes accuracy, balanced accuracy and each class's recall every epoch, and no label counts."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    n = 3000
    y = (torch.rand(n) < 0.03).float()
    x = torch.randn(n, 8) + 1.2 * y[:, None] * torch.tensor([1.0, -1, 0.5, 0, 0, 0.5, -0.5, 1])
    xv, yv = x[2000:], y[2000:]
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    weight = (1 - y[:2000].mean()) / y[:2000].mean() if weighted else None
    rows = []
    for epoch in range(15):
        for i in range(0, 2000, 100):
            loss = nn.functional.binary_cross_entropy_with_logits(
                model(x[i:i + 100])[:, 0], y[i:i + 100], pos_weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            pred = (model(xv)[:, 0] > 0).float()
        r0 = float((pred[yv == 0] == 0).float().mean())
        r1 = float((pred[yv == 1] == 1).float().mean())
        rows.append((epoch, loss.item(), float((pred == yv).float().mean()), (r0 + r1) / 2, r0, r1))
    _write_csv(path, ["epoch", "train_loss", "val_acc", "val_balanced_acc", "recall_0", "recall_1"], rows)


def test_a_log_whose_accuracy_stands_far_above_its_balanced_accuracy_is_class_imbalance(tmp_path):
    """No label counts in a log, but the balanced accuracy and per-class recall it wrote: a
    fraud-like detector at 97% accuracy that recalls no fraud is the skew's harm; its control,
    trained with pos_weight, recalls both classes (lower accuracy, higher balanced accuracy)."""
    _fraud_like_log(tmp_path / "plain.csv", weighted=False)
    _fraud_like_log(tmp_path / "weighted.csv", weighted=True)
    last = {name: list(csv.reader((tmp_path / name).open()))[-1] for name in ("plain.csv", "weighted.csv")}
    assert float(last["plain.csv"][5]) < 0.3 < float(last["weighted.csv"][5])  # the premise: rare class missed
    found = _findings(tmp_path / "plain.csv")
    assert "class_imbalance" in _warned(found), found
    assert "balanced accuracy" in found["class_imbalance"].summary
    assert "class_imbalance" not in _findings(tmp_path / "weighted.csv")
