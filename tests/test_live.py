"""Live alerts, --stop-on and --follow (real trainings; the flush moves the data the checks read)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from rich.console import Console

import traindx
from traindx.analysis import analyse
from traindx.api import diagnose_path
from traindx.runs import load_runs

SCRIPTS = Path(__file__).parent / "scripts"
ROOT = Path(__file__).parents[1]


def _traindx(*args, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "traindx", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_a_nan_is_alerted_once_on_stderr_within_one_flush(tmp_path):
    done = _traindx("run", "--out", "r", SCRIPTS / "nan_at.py", "--steps", "900", "--nan-at", "300", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    alerts = [line for line in done.stderr.splitlines() if line.startswith("traindx: step ")]
    assert len(alerts) == len({a.split(":")[2] for a in alerts}), alerts  # never repeated
    nan = [a for a in alerts if ": non_finite: " in a]
    assert len(nan) == 1, alerts
    step = int(nan[0].split()[2].rstrip(":"))
    assert 300 <= step <= 310, nan  # the step it happened, said at the flush after it
    assert "Lower the learning rate" in nan[0]  # with the top remedy
    assert "traindx: step" not in done.stdout  # never on stdout
    run, diagnosis, _ = diagnose_path(tmp_path / "r")[0]
    # the final report keeps it, with the step it was first seen live
    nf = next(f for f in diagnosis.findings if f.problem == "non_finite")
    assert nf.evidence["first_seen_live_step"] == step
    events = [json.loads(x) for x in (tmp_path / "r" / "events.jsonl").read_text().splitlines()]
    assert [e["problem"] for e in events if e["event"] == "alert"].count("non_finite") == 1


@pytest.mark.slow
def test_stop_on_error_ends_the_run_at_the_flush_and_check_fails(tmp_path):
    done = _traindx("run", "--stop-on", "error", "--out", "r", SCRIPTS / "nan_at.py", "--steps", "2000",
                    "--nan-at", "300", cwd=tmp_path)
    assert done.returncode == 4, done.stderr[-2000:]  # stopped by traindx: its own exit code
    assert "script finished" not in done.stdout
    assert "stopped by traindx at step" in done.stderr and "Traceback" not in done.stderr
    run, diagnosis, _ = diagnose_path(tmp_path / "r")[0]
    assert run.ended == "stopped" and 300 <= run.steps <= 300 + 200  # within one flush (200 steps)
    assert diagnosis.stopped.startswith("non_finite")
    assert "stopped by traindx" in done.stdout
    check = _traindx("check", "r", cwd=tmp_path)
    assert check.returncode == 1 and "ended stopped" in check.stdout


def _mlp_training(steps: int, lr: float, w):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    x, y = torch.randn(512, 10), torch.randint(0, 3, (512,))
    for step in range(steps):
        if step == 50:
            for g in opt.param_groups:
                g["lr"] = 1e6
        i = torch.randint(0, 512, (32,))
        loss = F.cross_entropy(model(x[i]), y[i])
        opt.zero_grad()
        loss.backward()
        opt.step()


def test_watch_stop_on_ends_the_block_and_the_script_goes_on(tmp_path, capsys):
    with traindx.watch(out=tmp_path / "w", stop_on="error") as w:
        w.recorder.flush_every = 20  # a short run: flush often
        _mlp_training(400, 0.05, w)
    assert w.stopped is not None and w.stopped.step < 400
    assert isinstance(w.stopped, traindx.StopTraining)
    run, diagnosis, _ = diagnose_path(w.path)[0]
    assert run.ended == "stopped" and run.steps == w.stopped.step
    assert "traindx: step" in capsys.readouterr().err


def test_healthy_training_raises_no_alert(tmp_path, capsys):
    with traindx.watch(out=tmp_path / "w") as w:
        w.recorder.flush_every = 20
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.randn(512, 10)
        y = (x[:, 0] > 0).long() + (x[:, 1] > 0).long()
        for _ in range(300):
            i = torch.randint(0, 512, (32,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    assert "traindx: step" not in capsys.readouterr().err
    assert diagnose_path(w.path)[0].diagnosis.verdict == "healthy"


class _ReZero(torch.nn.Module):
    """x + alpha * f(x), alpha a scalar that starts at zero (ReZero, SkipInit, LayerScale)."""

    def __init__(self):
        super().__init__()
        self.f = torch.nn.Sequential(torch.nn.Linear(16, 16), torch.nn.GELU())
        torch.nn.init.zeros_(self.f[0].bias)
        self.alpha = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return x + self.alpha * self.f(x)


def test_zero_initialised_biases_and_gates_at_a_tiny_lr_raise_no_lr_alert(tmp_path, capsys):
    """Biases and residual gates start at zero: after the first steps each has moved by its
    whole size, or twice it with momentum, whatever the lr (a BERT at lr 1e-7 alerted "the update moved the weights by 1.37 of
    their norm"); the update is judged on the weight matrices, as the final detector does."""
    with traindx.watch(out=tmp_path / "w") as w:
        w.recorder.flush_every = 20
        torch.manual_seed(0)
        model = torch.nn.Sequential(_ReZero(), _ReZero(), _ReZero(), torch.nn.Linear(16, 2))
        torch.nn.init.zeros_(model[3].bias)
        opt = torch.optim.SGD(model.parameters(), lr=1e-7, momentum=0.9)
        x, y = torch.randn(256, 16), torch.randint(0, 2, (256,))
        for _ in range(40):
            i = torch.randint(0, 256, (32,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    assert "learning_rate_too_high" not in capsys.readouterr().err


def test_an_alert_the_final_diagnosis_does_not_confirm_is_said(tmp_path):
    with traindx.watch(out=tmp_path / "w", alerts=False) as w:
        torch.manual_seed(0)
        model = torch.nn.Linear(4, 2)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(30):
            loss = F.cross_entropy(model(torch.randn(8, 4)), torch.randint(0, 2, (8,)))
            opt.zero_grad()
            loss.backward()
            opt.step()
    with open(w.path / "events.jsonl", "a") as f:
        f.write(json.dumps({"event": "alert", "step": 7, "problem": "exploding_gradients",
                            "severity": "error", "message": "the gradient norm grew 1e3x"}) + "\n")
    run, diagnosis, _ = diagnose_path(w.path)[0]
    assert "exploding_gradients" not in {f.problem for f in diagnosis.findings}
    assert any("raised live at step 7 (exploding_gradients" in n and "not confirmed" in n for n in run.notes)


def test_follow_a_growing_log_until_it_goes_quiet(tmp_path):
    from traindx.cli.follow import follow
    log = tmp_path / "metrics.csv"
    log.write_text("step,train_loss\n")

    def write():
        for s in range(1, 41):
            with open(log, "a") as f:
                f.write(f"{s},{2.0 / s:.4f}\n")
            time.sleep(0.02)
    writer = threading.Thread(target=write)
    writer.start()
    console = Console(file=open(os.devnull, "w"), force_terminal=False)
    reports = follow(log, lambda: [analyse(r) for r in load_runs(log)], console, interval=0.1, idle=1.0)
    writer.join()
    assert reports and reports[0].run.steps == 40  # it saw the last rows before going quiet


@pytest.mark.slow
def test_follow_a_run_directory_while_traindx_run_writes_it(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(
        "import time, torch\nimport torch.nn.functional as F\n"
        "torch.manual_seed(0)\nm = torch.nn.Linear(8, 3)\nopt = torch.optim.SGD(m.parameters(), lr=0.1)\n"
        "for step in range(150):\n"
        "    loss = F.cross_entropy(m(torch.randn(16, 8)), torch.randint(0, 3, (16,)))\n"
        "    opt.zero_grad(); loss.backward(); opt.step(); time.sleep(0.02)\n")
    env = {**os.environ, "NO_COLOR": "1", "OMP_NUM_THREADS": "1"}
    writer = subprocess.Popen([sys.executable, "-m", "traindx", "run", "--out", "r", str(script)], cwd=tmp_path,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    follow = _traindx("diagnose", "--follow", "r", "--format", "json", "--idle", "30", cwd=tmp_path)
    writer.wait(timeout=120)
    assert follow.returncode == 0, follow.stderr[-2000:]
    doc = json.loads(follow.stdout)
    assert doc["run"]["ended"] == "completed" and doc["run"]["steps"] == 150  # it ended with the run
    assert "following r" in follow.stderr
    assert time.monotonic() - started < 60
