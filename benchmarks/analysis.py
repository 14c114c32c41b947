"""How long `traindx diagnose` takes, and how much memory and disk a long run costs.

    python benchmarks/analysis.py                    # 10k, 100k and 1M steps (the 1M run is cached)
    python benchmarks/analysis.py --steps 10000,100000

Writes synthetic runs in the real run-directory format with traindx.record.writer.RunWriter, as the
recorder would: a train loss, accuracy and learning rate every step (flushed every 200 steps), an
eval loss every 1,000 steps, and per-layer statistics for 100 parameter tensors and 100 modules
every 100 steps. Each run is then diagnosed by `python -m traindx diagnose RUN --format json` in a
fresh subprocess, which reports its own wall time and peak memory (ru_maxrss), so the growth with
the number of steps is visible. Runs are kept in benchmarks/results/runs/ (git-ignored) and
reused; results go to benchmarks/results/analysis.json.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from traindx.record.stats import ACT_STATS, PARAM_STATS  # noqa: E402
from traindx.record.writer import SCHEMA, RunWriter  # noqa: E402

LAYERS = 100
EVERY = 100
FLUSH = 200


def generate(path: Path, steps: int, seed: int = 0) -> None:
    """A healthy-looking run of `steps` steps in the recorder's format."""
    rng = np.random.default_rng(seed)
    w = RunWriter(path)
    w.event("start", traindx_run_schema=SCHEMA, time=time.time(), rank=0, argv=["synthetic"],
            every=EVERY, synthetic=True)
    modules = [{"name": f"layer{i}", "type": "Linear" if i % 2 == 0 else "ReLU",
                "params": 4096 if i % 2 == 0 else 0} for i in range(LAYERS)]
    pnames = [f"layer{2 * (i // 2)}.{'weight' if i % 2 == 0 else 'bias'}" for i in range(LAYERS)]
    w.event("model", root="Synthetic", modules=modules,
            param_shapes={n: [64, 64] if n.endswith("weight") else [64] for n in pnames},
            total_params=LAYERS * 2080)
    w.event("optimizer", hparams={"type": "Adam", "lr": 1e-3})
    anames = [m["name"] for m in modules]
    kinds_written = False
    for start in range(0, steps, FLUSH):
        s = np.arange(start + 1, min(start + FLUSH, steps) + 1)
        loss = 2.3 * np.exp(-s / (steps / 5)) + 0.05 + 0.02 * rng.standard_normal(len(s))
        w.scalars("train_loss", s.tolist(), loss)
        w.scalars("train_acc", s.tolist(), np.clip(1 - loss / 2.5, 0, 1))
        w.scalars("lr", s.tolist(), np.full(len(s), 1e-3))
        ev = s[s % 1000 == 0]
        if len(ev):
            w.scalars("eval_loss", ev.tolist(), 2.3 * np.exp(-ev / (steps / 5)) + 0.08)
        sampled = s[(s - 1) % EVERY == 0]
        if len(sampled):
            k = len(sampled)
            g = np.exp(rng.normal(-3, 0.3, (k, LAYERS)))
            cols = {"grad_norm": g, "grad_mean": g * 1e-3, "grad_std": g / 64, "grad_maxabs": g / 8,
                    "grad_nonfinite": np.zeros((k, LAYERS)), "weight_norm": np.full((k, LAYERS), 8.0),
                    "weight_std": np.full((k, LAYERS), 0.125),
                    "update_ratio": np.exp(rng.normal(-7, 0.3, (k, LAYERS)))}
            cols = {name: cols.get(name, np.zeros((k, LAYERS))).tolist()
                    for name in (*PARAM_STATS, "update_ratio")}
            w.layers("params", sampled.tolist(), pnames, cols)
            a = {"mean": rng.normal(0, 0.1, (k, LAYERS)), "std": np.exp(rng.normal(0, 0.1, (k, LAYERS))),
                 "zero_frac": rng.uniform(0.3, 0.6, (k, LAYERS)), "sat_frac": np.full((k, LAYERS), np.nan),
                 "dead_frac": np.zeros((k, LAYERS)), "nonfinite": np.zeros((k, LAYERS)),
                 "absmax": np.exp(rng.normal(1, 0.1, (k, LAYERS)))}
            w.layers("activations", sampled.tolist(), anames,
                     {name: a[name].tolist() for name in ACT_STATS})
            if not kinds_written:
                w.event("activation_kinds", kinds={m["name"]: m["type"] for m in modules})
                kinds_written = True
    w.event("end", status="completed", exit_code=0, step=steps, time=time.time())
    w.close()


def disk(path: Path, steps: int) -> dict:
    sizes = {p.name: p.stat().st_size for p in path.glob("*.jsonl")}
    total = sum(sizes.values())
    samples = len(range(1, steps + 1, EVERY))
    layer_bytes = sizes.get("params.jsonl", 0) + sizes.get("activations.jsonl", 0)
    return {"total_mb": total / 1e6, "files": sizes,
            "bytes_per_step_scalars": sizes.get("scalars.jsonl", 0) / steps,
            "bytes_per_layer_sample": layer_bytes / (samples * LAYERS * 2),
            "bytes_per_step_total": total / steps}


PEAK = r'''
def peak_mb():
    # VmHWM starts afresh at exec; ru_maxrss would carry the parent's size (it is kept across fork
    # and exec on Linux), and this benchmark's parent imports torch
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
'''

READ_ONLY = r"""
import json, resource, sys, time
""" + PEAK + r"""
t0 = time.perf_counter()
from traindx.runs import load_runs
t1 = time.perf_counter()
run = load_runs(sys.argv[1])[0]
print(json.dumps({"read_seconds": time.perf_counter() - t1, "seconds": time.perf_counter() - t0,
                  "peak_mb": peak_mb()}))
"""

MEASURE = r"""
import io, json, resource, sys, time, contextlib
""" + PEAK + r"""
t0 = time.perf_counter()
from traindx.cli import main
out = io.StringIO()
code = 0
with contextlib.redirect_stdout(out):
    try:
        sys.argv = ["traindx", "diagnose", sys.argv[1], "--format", "json"]
        main()
    except SystemExit as exc:
        code = exc.code or 0
doc = json.loads(out.getvalue())
print(json.dumps({"seconds": time.perf_counter() - t0, "exit": code, "verdict": doc.get("verdict"),
                  "peak_mb": peak_mb()}))
"""


def measure(path: Path, script: str = MEASURE, timeout: float = 600) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": math.inf, "peak_mb": math.nan, "verdict": f"timed out after {timeout:.0f} s",
                "process_seconds": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"diagnose failed on {path}:\n{proc.stderr[-2000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    res["process_seconds"] = wall
    return res


def baseline() -> dict:
    """Python + traindx import alone, for reference."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = ("import resource,time\n" + PEAK + "t=time.perf_counter()\nimport traindx.cli\n"
            "print(time.perf_counter()-t, peak_mb())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    secs, mb = out.stdout.split()
    return {"import_seconds": float(secs), "import_peak_mb": float(mb)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", default="10000,100000,1000000")
    ap.add_argument("--dir", default=str(ROOT / "benchmarks" / "results" / "runs"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "analysis.json"))
    ap.add_argument("--repeat", type=int, default=3, help="diagnose runs per size (median kept)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds before a diagnose is given up")
    args = ap.parse_args(argv)
    results = {"import": baseline(), "runs": {}}
    print(f"import traindx.cli alone: {results['import']['import_seconds']:.2f} s, "
          f"{results['import']['import_peak_mb']:.0f} MB peak")
    print(f"{'steps':>9} {'disk MB':>8} {'B/step':>7} {'B/layer sample':>15} {'read s':>7} "
          f"{'read MB':>8} {'diagnose s':>11} {'peak MB':>8}  verdict")
    for steps in [int(s) for s in args.steps.split(",") if s]:
        path = Path(args.dir) / f"synthetic-{steps}"
        if not (path / "events.jsonl").exists() or '"end"' not in (path / "events.jsonl").read_text()[-300:]:
            if path.exists():
                for p in path.glob("*"):
                    p.unlink()
            t0 = time.perf_counter()
            generate(path, steps)
            print(f"  (generated {path} in {time.perf_counter() - t0:.1f} s)")
        d = disk(path, steps)
        reads = sorted((measure(path, READ_ONLY) for _ in range(args.repeat)),
                       key=lambda r: r["read_seconds"])
        r = reads[len(reads) // 2]
        runs = sorted((measure(path, timeout=args.timeout) for _ in range(args.repeat)),
                      key=lambda r: r["seconds"])
        m = runs[len(runs) // 2]
        m["all_seconds"] = [x["seconds"] for x in runs]
        results["runs"][steps] = {**d, **m, "read_seconds": r["read_seconds"], "read_peak_mb": r["peak_mb"]}
        print(f"{steps:>9} {d['total_mb']:>8.1f} {d['bytes_per_step_total']:>7.1f} "
              f"{d['bytes_per_layer_sample']:>15.1f} {r['read_seconds']:>7.2f} {r['peak_mb']:>8.0f} "
              f"{m['seconds']:>11.2f} {m['peak_mb']:>8.0f}  {m['verdict']}", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
