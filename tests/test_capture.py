"""Zero-code capture on scripts in the styles people write, and the script's own behaviour kept."""
import json

import pytest

from conftest import ROOT, json_tail, problems, traindx


def test_loss_inside_forward_clip_scaler_scheduler_and_own_config(tmp_path):
    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({"steps": 60, "lr": 3e-3}))
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json",
                   str(ROOT / "tests/scripts/gpt_style.py"), str(cfg))
    assert proc.returncode == 0, proc.stderr
    assert "__name__ was __main__" in proc.stdout  # runs as __main__, script output untouched
    assert proc.stdout.index("iter 19") < proc.stdout.index("{")
    doc = json_tail(proc.stdout)
    assert problems(doc) == set(), doc["findings"]
    signals = set(doc["run"]["signals"])
    assert {"train_loss", "eval_loss", "train_acc", "eval_acc", "lr", "grad_norm_preclip",
            "params", "activations"} <= signals
    assert doc["run"]["steps"] == 60


def test_eval_under_no_grad_is_eval_loss(tmp_path):
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json",
                   str(ROOT / "examples/scripts/healthy_mlp.py"), "--epochs", "2")
    doc = json_tail(proc.stdout)
    from traindx.runs import load_runs
    run = load_runs(tmp_path / "r")[0]
    assert len(run.series("eval_loss")) == 2  # one point per evaluation pass, not per batch
    assert len(run.series("train_loss")) == doc["run"]["steps"] == 64
    # the label distribution from the targets, counted on the sampled steps (full batches of 64)
    from traindx.record.schedule import Schedule
    sampled = sum(Schedule()(s) for s in range(64) if s % 32 != 31)
    assert sum(run.labels["train_counts"]) == 64 * sampled
    assert len(run.labels["train_counts"]) == 4 and min(run.labels["train_counts"]) > 0


def test_script_exception_keeps_exit_code_and_still_diagnoses(tmp_path):
    proc = traindx("run", "--out", str(tmp_path / "r"), str(ROOT / "tests/scripts/exits.py"), "raise")
    assert proc.returncode == 1
    assert "RuntimeError: boom from the script" in proc.stderr
    assert "traindx/record" not in proc.stderr  # the traceback is the script's, not ours
    assert "stdout from the script" in proc.stdout and "stopped by an exception" in proc.stdout


def test_sys_exit_code_is_kept(tmp_path):
    proc = traindx("run", "--out", str(tmp_path / "r"), str(ROOT / "tests/scripts/exits.py"), "code", "3")
    assert proc.returncode == 3
    assert "stderr from the script" in proc.stderr
    # the script's own choice, said as such: not "stopped by an exception"
    assert "exited with code 3" in proc.stdout and "exception" not in proc.stdout


def test_ctrl_c_still_diagnoses(tmp_path):
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json",
                   str(ROOT / "tests/scripts/exits.py"), "interrupt")
    assert proc.returncode == 130
    assert json_tail(proc.stdout)["run"]["ended"] == "interrupted"


def test_traindx_log_inside_run(tmp_path):
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json",
                   str(ROOT / "tests/scripts/with_log.py"))
    assert proc.returncode == 0, proc.stderr
    from traindx.runs import load_runs
    run = load_runs(tmp_path / "r")[0]
    assert len(run.series("eval_loss")) == 40 and len(run.series("train_loss")) == 40


def test_missing_script_is_one_line_exit_2(tmp_path):
    proc = traindx("run", str(tmp_path / "nope.py"))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "nope.py" in proc.stderr


def test_a_loss_reduced_by_the_script_is_read_from_backward(tmp_path):
    """fresh7 (MAE): `F.mse_loss(pred, target, reduction="none")` masked to the hidden patches is
    the objective; the plain mean of the unreduced loss (visible patches included, never trained)
    sat at the targets' variance and read as non-convergence. The train loss is now what
    backward() runs on, and the healthy masked reconstruction reads healthy."""
    script = tmp_path / "masked.py"
    script.write_text('''
import torch, torch.nn.functional as F
torch.manual_seed(0)
x = torch.randn(512, 16)
target = x @ torch.randn(16, 16) * 0.5
net = torch.nn.Sequential(torch.nn.Linear(16, 64), torch.nn.ReLU(), torch.nn.Linear(64, 16))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for step in range(300):
    i = torch.randint(0, 512, (64,))
    mask = (torch.rand(64, 16) < 0.25).float()  # only these outputs are trained
    per_elem = F.mse_loss(net(x[i]), target[i], reduction="none")
    loss = (per_elem * mask).sum() / mask.sum()
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 100 == 0:
        print("objective", loss.item())
print("final objective", loss.item())
''')
    proc = traindx("run", "--out", str(tmp_path / "r"), "--format", "json", str(script))
    assert proc.returncode == 0, proc.stderr
    final = float(proc.stdout.split("final objective ")[1].split()[0])
    from traindx.runs import load_runs
    run = load_runs(tmp_path / "r")[0]
    assert float(run.series("train_loss").values[-1]) == pytest.approx(final, rel=1e-4)
    assert "non_convergence" not in problems(json_tail(proc.stdout))
