"""The scenario suite: run every labelled training script in tests/scenarios/ through
`traindx run --format json` and measure detection quality.

    python benchmarks/scenarios.py                     # all scenarios
    python benchmarks/scenarios.py healthy_ dead_      # only names containing one of these
    python benchmarks/scenarios.py --json out.json     # where the table goes (default below)

Each scenario labels itself in header comments:
    # expect: vanishing_gradients            problems that must be found (warning or error)
    # allow: non_convergence                 may be found or not (consequences, side effects)
    # forbid: *                              must not be found; * = every other problem id
    # traindx-args: --bayes-error 0.0        options passed to `traindx run`
A scenario with an empty `expect` and `forbid: *` is healthy: no warning or error allowed.
Recall per problem = scenarios where it was expected and found / scenarios expecting it.
A false alarm = a forbidden problem found at warning or error level.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "tests" / "scenarios"
DEFAULT_JSON = ROOT / "benchmarks" / "scenarios_results.json"
sys.path.insert(0, str(ROOT))
from traindx.remedies import PROBLEMS  # noqa: E402


@dataclass
class Scenario:
    name: str
    path: Path
    expect: set[str]
    allow: set[str]
    forbid: set[str]
    args: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.expect


def _field(text: str, key: str) -> str | None:
    m = re.search(rf"^#\s*{key}:(.*)$", text, re.M)
    return m.group(1).strip() if m else None


def _ids(value: str | None) -> set[str]:
    return {v.strip() for v in (value or "").split(",") if v.strip()}


def parse(path: Path) -> Scenario:
    text = path.read_text()
    expect, allow = _ids(_field(text, "expect")), _ids(_field(text, "allow"))
    forbid = _ids(_field(text, "forbid"))
    if "*" in forbid:
        forbid = set(PROBLEMS) - expect - allow
    unknown = (expect | allow | forbid) - set(PROBLEMS)
    if unknown:
        raise ValueError(f"{path.name}: unknown problem ids {sorted(unknown)}")
    args = (_field(text, "traindx-args") or "").split()
    return Scenario(path.stem, path, expect, allow, forbid, args)


def load(filters: list[str] | None = None, directory: Path | None = None) -> list[Scenario]:
    paths = sorted((directory or SCENARIOS).glob("*.py"))
    paths = [p for p in paths if not p.name.startswith("_")]
    if filters:
        paths = [p for p in paths if any(f in p.stem for f in filters)]
    return [parse(p) for p in paths]


def run_one(sc: Scenario, workdir: Path, timeout: float = 120.0, reuse: bool = False) -> dict:
    """Run the scenario through `traindx run --format json`; the findings and the time it took.
    With `reuse` and an existing run directory, only re-diagnose it (`traindx diagnose`): for
    calibrating thresholds without re-training."""
    out = workdir / sc.name
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    if reuse and out.is_dir():
        cmd = [sys.executable, "-m", "traindx", "diagnose", "--format", "json", str(out)]
    else:
        cmd = [sys.executable, "-m", "traindx", "run", "--format", "json", "--out", str(out),
               *sc.args, str(sc.path)]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    seconds = time.monotonic() - t0
    doc = None
    start = proc.stdout.rfind("\n{\n") if not proc.stdout.startswith("{") else -1
    try:  # the document follows the script's own output on stdout, starting on a new line
        doc = json.loads(proc.stdout[start + 1:])
    except ValueError:
        report = out / "report.json"
        if report.is_file() and cmd[3] == "run":
            doc = json.loads(report.read_text())
    if doc is None:
        return {"name": sc.name, "error": f"no report (exit {proc.returncode}): {proc.stderr[-500:]}",
                "seconds": seconds}
    found = {f["problem"]: f["severity"] for f in doc["findings"]}
    flagged = {p for p, s in found.items() if s in ("warning", "error")}
    return {"name": sc.name, "seconds": round(seconds, 2), "exit_code": proc.returncode,
            "found": found, "flagged": sorted(flagged),
            "missed": sorted(sc.expect - flagged), "false_alarms": sorted(sc.forbid & flagged),
            "skipped": {s["detector"]: s["reason"] for s in doc.get("skipped", [])}}


def score(scenarios: list[Scenario], results: list[dict]) -> dict:
    by_name = {r["name"]: r for r in results}
    table = {}
    for problem in PROBLEMS:
        expected = [s for s in scenarios if problem in s.expect]
        forbidden = [s for s in scenarios if problem in s.forbid]
        hits = [s.name for s in expected if problem in by_name[s.name].get("flagged", [])]
        alarms = [s.name for s in forbidden if problem in by_name[s.name].get("flagged", [])]
        table[problem] = {"expected": len(expected), "detected": len(hits),
                          "recall": len(hits) / len(expected) if expected else None,
                          "forbidden": len(forbidden), "false_alarms": len(alarms),
                          "false_alarm_scenarios": alarms,
                          "missed_scenarios": sorted({s.name for s in expected} - set(hits))}
    exp = sum(t["expected"] for t in table.values())
    det = sum(t["detected"] for t in table.values())
    forb = sum(t["forbidden"] for t in table.values())
    fa = sum(t["false_alarms"] for t in table.values())
    healthy = [s for s in scenarios if s.healthy]
    healthy_fa = [s.name for s in healthy if by_name[s.name].get("flagged")]
    passed = [r["name"] for r in results if not r.get("error") and not r["missed"] and not r["false_alarms"]]
    total = {"scenarios": len(scenarios), "passed": len(passed), "expected": exp, "detected": det,
             "recall": det / exp if exp else None, "forbidden": forb, "false_alarms": fa,
             "false_alarm_rate": fa / forb if forb else None, "healthy": len(healthy),
             "healthy_with_alarms": healthy_fa, "errors": [r["name"] for r in results if r.get("error")],
             "seconds": round(sum(r.get("seconds", 0) for r in results), 1)}
    return {"problems": table, "total": total, "scenarios": results}


def render(summary: dict) -> str:
    lines = [f"{'problem':<24}{'recall':>12}{'false alarms':>16}"]
    for problem, t in summary["problems"].items():
        if not t["expected"] and not t["false_alarms"]:
            rec = "-"
        else:
            rec = f"{t['detected']}/{t['expected']}" if t["expected"] else "-"
        lines.append(f"{problem:<24}{rec:>12}{t['false_alarms']:>9}/{t['forbidden']:<6}")
    t = summary["total"]
    lines.append(f"{'TOTAL':<24}{t['detected']:>9}/{t['expected']:<2}{t['false_alarms']:>9}/{t['forbidden']:<6}"
                 f" recall {t['recall']:.0%}, false-alarm rate {t['false_alarm_rate']:.1%}; "
                 f"{t['passed']}/{t['scenarios']} scenarios pass; healthy with alarms: "
                 f"{len(t['healthy_with_alarms'])}/{t['healthy']}; {t['seconds']}s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("filters", nargs="*", help="only scenarios whose name contains one of these")
    ap.add_argument("--json", type=Path, default=None,
                    help=f"where to write the table (default {DEFAULT_JSON.relative_to(ROOT)}; "
                         "with --dir, DIRNAME_results.json in the temp directory)")
    ap.add_argument("--keep", type=Path, default=None, help="keep the run directories here")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: re-diagnose run directories already there instead of re-training")
    ap.add_argument("--dir", type=Path, default=None,
                    help="read the labelled scripts from this directory instead of tests/scenarios/")
    args = ap.parse_args(argv)
    scenarios = load(args.filters, args.dir.resolve() if args.dir else None)
    if args.json is None:  # a held-out directory must not overwrite the calibrated suite's table
        args.json = DEFAULT_JSON if not args.dir else \
            Path(tempfile.gettempdir()) / f"{args.dir.resolve().name}_results.json"
    results = []
    with tempfile.TemporaryDirectory(prefix="traindx-scenarios-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for sc in scenarios:
            r = run_one(sc, work, reuse=args.reuse)
            results.append(r)
            status = "ERROR " + r["error"] if r.get("error") else (
                "ok" if not r["missed"] and not r["false_alarms"] else
                f"missed={r['missed']} false_alarms={r['false_alarms']}")
            print(f"{sc.name:<34} {r['seconds']:>5.1f}s  flagged={r.get('flagged', [])}  {status}",
                  flush=True)
    summary = score(scenarios, results)
    print()
    print(render(summary))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"table written to {args.json}")
    t = summary["total"]
    return 0 if t["passed"] == t["scenarios"] else 1


if __name__ == "__main__":
    sys.exit(main())
