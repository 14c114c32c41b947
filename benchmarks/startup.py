"""What `traindx run` adds around a script: start (import, hooks) and finish (the final flush,
reading the run back, the diagnosis, report.json and the printed report), apart from the per-step
cost that benchmarks/overhead.py measures.

    python benchmarks/startup.py                       # 10k and 100k steps, 3 repeats
    python benchmarks/startup.py --steps 10000 --repeats 5

A tiny training script (a 2-layer MLP, batch 32) runs N steps and prints how long its own loop took.
It is run as `python script.py` and as `traindx run script.py`, alternately; for each,
start + finish = process wall time - the loop's own time, so the per-step cost inside the loop
does not count. The difference between the two is what traindx adds; it should stay small and
grow linearly (or less) with the number of steps (the read-back and diagnosis read every step's
loss, lr and gradient norm). Results: a table on stdout and benchmarks/results/startup.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = '''
import sys, time
import torch
torch.set_num_threads(1)
torch.manual_seed(0)
steps = int(sys.argv[1])
model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x = torch.randn(512, 16)
y = (x[:, 0] > 0).long() + 2 * (x[:, 1] > 0).long()
t0 = time.perf_counter()
for step in range(steps):
    i = (step * 32) % 480
    loss = torch.nn.functional.cross_entropy(model(x[i:i + 32]), y[i:i + 32])
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"LOOP_SECONDS {time.perf_counter() - t0:.6f}")
'''


def once(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(process wall seconds, the loop's own seconds)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=3600,
                          env={**os.environ, "NO_COLOR": "1"})
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    loop = next(float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("LOOP_SECONDS"))
    return wall, loop


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", default="10000,100000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "startup.json"))
    ap.add_argument("--as-is", action="store_true",
                    help="do not compile traindx's bytecode first (with PYTHONDONTWRITEBYTECODE set, as on "
                         "these machines, every start then compiles traindx's sources)")
    args = ap.parse_args(argv)
    if not args.as_is:
        # as a pip install leaves it: traindx's modules compiled once, not on every start
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "traindx")], check=True)
    results = {"bytecode": "as-is" if args.as_is else "compiled"}
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        (cwd / "train.py").write_text(SCRIPT)
        for steps in [int(s) for s in args.steps.split(",")]:
            plain, traced, reports = [], [], []
            for r in range(args.repeats):
                wall, loop = once([sys.executable, "train.py", str(steps)], cwd)
                plain.append(wall - loop)
                out = cwd / f"run{steps}_{r}"
                wall, loop = once([sys.executable, "-m", "traindx", "run", "--out", str(out), "train.py",
                                   str(steps)], cwd)
                traced.append(wall - loop)
                reports.append(out)
            med = statistics.median
            results[steps] = {"python_outside_loop_s": med(plain), "traindx_outside_loop_s": med(traced),
                              "added_s": med(t - p for t, p in zip(traced, plain)),
                              "repeats": args.repeats}
            print(f"{steps:>8} steps: outside the loop python {med(plain):.2f} s, traindx run "
                  f"{med(traced):.2f} s: traindx adds {results[steps]['added_s']:.2f} s", flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
