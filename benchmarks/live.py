"""Live alerts (traindx/live.py), measured: how soon a NaN is said, and what the checks cost.

    python benchmarks/live.py            # ~1 minute on one core; writes benchmarks/results/live.json

1. Latency: an MLP trains under `traindx.watch` at the defaults (flush every 200 steps or 5 s);
   its learning rate jumps to 1e4 at step K, and the loss turns non-finite a step or two later.
   Reported: the step and time the loss first became non-finite, the step and time of the alert,
   and the difference, in steps and seconds (at most one flush interval is the promise).
2. The cost of a flush's live checks, early and late in a long run: the checks read the flushed
   window plus a few numbers kept from before, so the time per flush must not grow with the run
   (median microseconds per on_flush over the first and the last ten flushes of a 40k-step run).
3. The step-time cost is measured by `benchmarks/overhead.py --modes traindx,traindx_live`.
"""
from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import traindx  # noqa: E402
from traindx.live import Monitor  # noqa: E402


def _model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(), torch.nn.Linear(64, 4))


def latency(nan_at: int = 1000, steps: int = 1600) -> dict:
    said: list[tuple[float, int, str]] = []
    model = _model()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    x = torch.randn(4096, 20)
    y = (x @ torch.randn(20, 4)).argmax(1)
    times, first_bad = {}, None
    with tempfile.TemporaryDirectory() as tmp, traindx.watch(out=Path(tmp) / "r", alerts=False) as w:
        w.recorder.listeners.append(Monitor(say=lambda line: said.append((time.monotonic(), w.recorder.step, line))))
        for step in range(1, steps + 1):
            if step == nan_at:
                for g in opt.param_groups:
                    g["lr"] = 1e4
            i = torch.randint(0, len(x), (64,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
            times[step] = time.monotonic()
            if first_bad is None and not torch.isfinite(loss):  # the benchmark's own check, not traindx's
                first_bad = step
    alert = next(((t, s, line) for t, s, line in said if ": non_finite: " in line), None)
    if alert is None or first_bad is None:
        return {"error": "no alert" if alert is None else "the loss never turned non-finite"}
    t, at_step, line = alert
    return {"nan_step": first_bad, "alert_said_at_step": at_step, "steps_late": at_step - first_bad,
            "seconds_late": round(t - times[first_bad], 3), "flush_every_steps": 200, "flush_seconds": 5.0,
            "alert": line}


def flush_cost(steps: int = 40_000) -> dict:
    model = _model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(4096, 20)
    y = (x @ torch.randn(20, 4)).argmax(1)
    durations: list[float] = []
    monitor = Monitor(say=lambda line: None)

    class Timed:
        def on_flush(self, recorder, window):
            t0 = time.perf_counter()
            monitor.on_flush(recorder, window)
            durations.append(time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp, traindx.watch(out=Path(tmp) / "r", alerts=False) as w:
        w.recorder.listeners.append(Timed())
        for _ in range(steps):
            i = torch.randint(0, len(x), (64,))
            loss = F.cross_entropy(model(x[i]), y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
    first, last = durations[1:11], durations[-10:]
    return {"steps": steps, "flushes": len(durations),
            "first_flushes_us": round(statistics.median(first) * 1e6, 1),
            "last_flushes_us": round(statistics.median(last) * 1e6, 1)}


def main() -> int:
    torch.set_num_threads(1)
    out = {"latency": latency(), "flush_cost": flush_cost()}
    print(json.dumps(out, indent=2))
    path = ROOT / "benchmarks" / "results" / "live.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
