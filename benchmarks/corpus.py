"""The corpus nobody tuned on (tests/corpus/): run every case under `traindx run` and, for the
framework cases, diagnose the framework's own log too; score each half of the split.

    python benchmarks/corpus.py                        # every case, both halves (~15 min, 2 jobs)
    python benchmarks/corpus.py --half validation      # only the held-out half
    python benchmarks/corpus.py --keep /tmp/c          # keep run directories and native logs ...
    python benchmarks/corpus.py --keep /tmp/c --reuse  # ... and re-diagnose them without training
    python benchmarks/corpus.py --verify               # re-run each broken case and its control
    python benchmarks/corpus.py lightning_ healthy_    # only cases whose name holds one of these

A case labels itself in header comments (tests/corpus/README.md): expect / allow / forbid,
evidence, control, native-log, log-expect, log-allow. `tests/corpus/split.json` assigns each case
to the calibration half (thresholds may be tuned on it) or the validation half (only reported);
the fresh_*, fresh2_* ... fresh8_* groups are further sets, each written by new hands
once the one before had been seen.
Scores: recall per planted problem, healthy runs with a warning or error (false alarms), runs
not judged, and whether the planted root cause comes first; Wilson 95% intervals.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
SPLIT = CORPUS / "split.json"
DEFAULT_JSON = ROOT / "benchmarks" / "corpus_results.json"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from scenarios import _field, _ids  # noqa: E402  (the same header comments as the scenario suite)
from traindx.remedies import PROBLEMS  # noqa: E402


@dataclass
class Variant:
    """One thing to diagnose: a case under `traindx run`, or the framework log it wrote."""
    case: str
    kind: str  # "run" | "log"
    expect: set[str]
    allow: set[str]
    forbid: set[str]
    broken_case: bool = False  # the log of a broken case whose log shows nothing to expect

    @property
    def name(self) -> str:
        return self.case + ("" if self.kind == "run" else "@log")

    @property
    def healthy(self) -> bool:
        """A healthy training; not the log of a broken one whose log-expect is empty (such a log
        counts neither for recall nor as a healthy run: only its forbidden findings count)."""
        return not self.expect and not self.broken_case


@dataclass
class Case:
    name: str  # group/stem
    path: Path
    fields: dict[str, str]
    variants: list[Variant] = field(default_factory=list)


def _variant(case: str, kind: str, expect: set[str], allow: set[str], forbid: set[str]) -> Variant:
    if "*" in forbid:
        forbid = set(PROBLEMS) - expect - allow
    unknown = (expect | allow | forbid) - set(PROBLEMS)
    if unknown:
        raise ValueError(f"{case}: unknown problem ids {sorted(unknown)}")
    return Variant(case, kind, expect, allow, forbid)


def parse(path: Path) -> Case:
    text = path.read_text()
    keys = ("expect", "allow", "forbid", "evidence", "control", "native-log", "log-expect", "log-allow")
    fields = {k: v for k in keys if (v := _field(text, k)) is not None}
    name = f"{path.parent.name}/{path.stem}"
    case = Case(name, path, fields)
    expect, allow, forbid = (_ids(fields.get(k)) for k in ("expect", "allow", "forbid"))
    case.variants.append(_variant(name, "run", expect, allow, forbid or {"*"}))
    if fields.get("native-log"):
        log_expect = _ids(fields["log-expect"]) if "log-expect" in fields else expect
        log = _variant(name, "log", log_expect, _ids(fields.get("log-allow")), {"*"})
        log.broken_case = bool(expect)
        case.variants.append(log)
    return case


def load(filters: list[str] | None = None) -> list[Case]:
    paths = sorted(p for p in CORPUS.glob("*/*.py") if not p.name.startswith("_"))
    if filters:
        paths = [p for p in paths if any(f in f"{p.parent.name}/{p.stem}" for f in filters)]
    return [parse(p) for p in paths]


def halves() -> dict[str, str]:
    return json.loads(SPLIT.read_text()) if SPLIT.is_file() else {}


# sets written later by new hands, each after the one before had been looked at: fresh_* after the
# validation half, fresh2_* after fresh_*; each is scored alone, its first contact the clean number
FRESH_SETS = ("fresh", "fresh2", "fresh3", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8", "fresh9", "fresh10",
              "fresh11", "fresh12", "fresh13", "fresh14", "fresh15", "fresh16", "fresh17", "fresh18", "fresh19")


def half_of(case: str, split: dict[str, str]) -> str:
    """The half a case belongs to; a case added after the split was made goes by its name's hash,
    except the fresh*_ groups (FRESH_SETS), each a held-out test written after the last had been seen."""
    prefix = case.split("_", 1)[0]
    if prefix in FRESH_SETS:
        return prefix
    if case in split:
        return split[case]
    return "calibration" if int(hashlib.sha1(case.encode()).hexdigest(), 16) % 2 == 0 else "validation"


def make_split(cases: list[Case]) -> dict[str, str]:
    """Once: within each (group, label) stratum, sorted by a hash of the name, alternate halves."""
    strata: dict[tuple, list[str]] = {}
    for c in cases:
        label = ",".join(sorted(c.variants[0].expect)) or "healthy"
        strata.setdefault((c.path.parent.name, label), []).append(c.name)
    split, turn = {}, 0
    for key in sorted(strata):  # the odd one out of each stratum goes to the halves in turn
        names = sorted(strata[key], key=lambda n: hashlib.sha1(n.encode()).hexdigest())
        for n in names:
            split[n] = "calibration" if turn % 2 == 0 else "validation"
            turn += 1
    return dict(sorted(split.items()))


# ------------------------------------------------------------------------------------ running
def _env(logdir: Path | None = None) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "KERAS_BACKEND": "torch", "TOKENIZERS_PARALLELISM": "false"}
    if logdir is not None:
        env["CORPUS_LOG_DIR"] = str(logdir)
    return env


def _document(stdout: str) -> dict | None:
    """The JSON document traindx prints last on stdout (after the script's own output)."""
    start = 0 if stdout.startswith("{") or stdout.startswith("[") else stdout.rfind("\n{\n") + 1
    try:
        return json.loads(stdout[start:]) if start >= 0 else None
    except ValueError:
        return None


def _one(doc: dict | list | None) -> dict | None:
    """A log holding several runs (a TensorBoard log with a pre-training and a fine-tuning phase)
    is judged as one: every run's findings, the most severe of each problem."""
    if not isinstance(doc, list):
        return doc
    rank = {"info": 0, "warning": 1, "error": 2}
    best: dict[str, dict] = {}
    for d in doc:
        for f in d.get("findings", []):
            if f["problem"] not in best or rank[f["severity"]] > rank[best[f["problem"]]["severity"]]:
                best[f["problem"]] = f
    findings = sorted(best.values(), key=lambda f: -rank[f["severity"]])
    worst = "problems" if any(f["severity"] != "info" for f in findings) else (doc[0].get("verdict") if doc else None)
    return {"findings": findings, "verdict": worst, "run": (doc[-1] if doc else {}).get("run", {})}


def _outcome(v: Variant, doc: dict | list | None, proc, seconds: float, error: str | None = None) -> dict:
    doc = _one(doc)
    if doc is None:
        return {"name": v.name, "error": error or f"no report (exit {proc.returncode}): "
                f"{(proc.stderr or '')[-400:]}", "seconds": round(seconds, 1)}
    findings = doc.get("findings", [])
    flagged = [f["problem"] for f in findings if f["severity"] in ("warning", "error")]
    return {"name": v.name, "seconds": round(seconds, 1), "verdict": doc.get("verdict"),
            "found": {f["problem"]: f["severity"] for f in findings}, "flagged": flagged,
            "first": flagged[0] if flagged else None,
            "missed": sorted(v.expect - set(flagged)), "false_alarms": sorted(v.forbid & set(flagged)),
            "steps": doc.get("run", {}).get("steps"),
            "summaries": {f["problem"]: f["summary"] for f in findings}}


def run_case(case: Case, work: Path, reuse: bool, timeout: float = 300.0) -> list[dict]:
    out, logdir = work / case.name / "run", work / case.name / "logs"
    if not reuse and out.exists():  # a re-run replaces the harness's own old run (traindx never
        shutil.rmtree(out)          # overwrites one: it would record into run-2 beside it)
    results = []
    t0 = time.monotonic()
    trained = not (reuse and out.is_dir())  # --reuse trains the cases it has no run for
    if not trained:
        cmd = [sys.executable, "-m", "traindx", "diagnose", "--format", "json", str(out)]
    else:
        if logdir.exists():  # a re-run's logs replace the old ones (a TensorBoard folder would
            shutil.rmtree(logdir)  # hold both runs' event files; a Lightning logger a version_1)
        logdir.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "traindx", "run", "--format", "json", "--out", str(out), str(case.path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(logdir), timeout=timeout,
                              cwd=case.path.parent)
        doc = _document(proc.stdout)
        if doc is None and (out / "report.json").is_file() and trained:
            doc = json.loads((out / "report.json").read_text())
        results.append(_outcome(case.variants[0], doc, proc, time.monotonic() - t0))
    except subprocess.TimeoutExpired:
        results.append(_outcome(case.variants[0], None, None, time.monotonic() - t0, "timeout"))
    for v in case.variants[1:]:
        log = logdir / case.fields["native-log"]
        t0 = time.monotonic()
        cmd = [sys.executable, "-m", "traindx", "diagnose", "--format", "json", str(log)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=timeout)
        results.append(_outcome(v, _document(proc.stdout), proc, time.monotonic() - t0))
    return results


def save_logs(cases: list[Case], work: Path, dest: Path) -> None:
    """Keep each framework log as written, under dest/GROUP/CASE/ (the tests diagnose them)."""
    import shutil
    for c in cases:
        rel = c.fields.get("native-log")
        src = work / c.name / "logs" / rel if rel else None
        if src is None or not src.exists():
            continue
        target = dest / c.name / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree(src, target, dirs_exist_ok=True) if src.is_dir() else shutil.copy2(src, target))


METRIC = re.compile(r"^CORPUS_METRIC (\{.*\})\s*$", re.M)


def verify(case: Case, timeout: float = 300.0) -> dict:
    """Run the case and its control with plain python: the independent evidence for the label."""
    got = {}
    for which, extra in (("planted", []), ("control", (case.fields.get("control") or "").split())):
        if which == "control" and not extra:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([sys.executable, str(case.path), *extra], capture_output=True, text=True,
                                  env=_env(Path(tmp)), timeout=timeout, cwd=case.path.parent)
        m = METRIC.findall(proc.stdout)
        got[which] = json.loads(m[-1]) if m else {"error": f"exit {proc.returncode}, no CORPUS_METRIC"}
    planted, control = got.get("planted", {}), got.get("control")
    better = None
    if control is not None:
        better = _control_better(planted, control)
    return {"name": case.name, "planted": planted, "control": control, "control_better": better}


def _control_better(planted: dict, control: dict) -> bool | None:
    """Whether the control did clearly better on a shared held-out metric (accuracy up 0.02, or a
    loss/error down 5%; a non-finite planted metric counts as worse)."""
    verdicts = []
    for key, c in control.items():
        if key not in planted or not isinstance(c, (int, float)) or key.startswith(("chance", "train")):
            continue
        p = planted[key]
        p = float("nan") if p is None else p
        if not isinstance(p, (int, float)):
            continue
        if "acc" in key or "recall" in key or key.endswith(("f1", "r2")):
            verdicts.append(not p == p or c >= p + 0.02)
        elif any(t in key for t in ("loss", "mse", "mae", "err", "ppl", "perplexity")):
            verdicts.append(not p == p or c <= p * 0.95)
    return any(verdicts) if verdicts else None


# ------------------------------------------------------------------------------------ scoring
def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def score(variants: list[Variant], results: dict[str, dict]) -> dict:
    per_problem = {}
    for problem in PROBLEMS:
        exp = [v for v in variants if problem in v.expect]
        hits = [v.name for v in exp if problem in results[v.name].get("flagged", [])]
        forb = [v for v in variants if problem in v.forbid]
        alarms = [v.name for v in forb if problem in results[v.name].get("flagged", [])]
        if exp or alarms:
            per_problem[problem] = {"expected": len(exp), "found": len(hits),
                                    "missed": sorted({v.name for v in exp} - set(hits)),
                                    "false_alarms": alarms, "forbidden": len(forb)}
    planted = [(v, p) for v in variants for p in v.expect]
    found = sum(p in results[v.name].get("flagged", []) for v, p in planted)
    healthy = [v for v in variants if v.healthy]
    alarmed = [v.name for v in healthy if results[v.name].get("flagged")]
    not_judged = [v.name for v in variants if results[v.name].get("verdict") == "not judged"]
    errors = [v.name for v in variants if results[v.name].get("error")]
    # root cause first: among broken runs with several flagged problems, the first is planted
    chains = [v for v in variants if v.expect and len(results[v.name].get("flagged", [])) > 1
              and v.expect & set(results[v.name]["flagged"])]
    root_first = [v.name for v in chains if results[v.name]["first"] in v.expect]
    broken_alarms = [v.name for v in variants if v.expect and results[v.name].get("false_alarms")]
    return {"variants": len(variants), "planted": len(planted), "found": found,
            "recall": found / len(planted) if planted else None, "recall_ci": wilson(found, len(planted)),
            "healthy": len(healthy), "healthy_with_alarm": alarmed,
            "healthy_clean_rate": 1 - len(alarmed) / len(healthy) if healthy else None,
            "healthy_clean_ci": wilson(len(healthy) - len(alarmed), len(healthy)),
            "root_cause_first": f"{len(root_first)}/{len(chains)}",
            "root_cause_not_first": sorted({v.name for v in chains} - set(root_first)),
            "broken_with_forbidden": broken_alarms,
            "not_judged": not_judged, "errors": errors, "problems": per_problem}


def render(title: str, s: dict) -> str:
    lo, hi = s["recall_ci"]
    hlo, hhi = s["healthy_clean_ci"]
    lines = [f"== {title}: {s['variants']} diagnoses ({s['healthy']} healthy)",
             f"planted problems found: {s['found']}/{s['planted']} = {s['recall']:.1%} "
             f"(95% CI {lo:.1%}-{hi:.1%})" if s["planted"] else "no planted problems",
             f"healthy runs without a warning: {s['healthy'] - len(s['healthy_with_alarm'])}/"
             f"{s['healthy']} = {s['healthy_clean_rate']:.1%} (95% CI {hlo:.1%}-{hhi:.1%})"
             if s["healthy"] else "no healthy runs",
             f"root cause first (broken runs with several findings): {s['root_cause_first']}",
             f"{'problem':<24}{'recall':>9}{'false alarms':>16}"]
    for problem, t in s["problems"].items():
        rec = f"{t['found']}/{t['expected']}" if t["expected"] else "-"
        lines.append(f"{problem:<24}{rec:>9}{len(t['false_alarms']):>9}/{t['forbidden']:<6}")
    for key in ("healthy_with_alarm", "root_cause_not_first", "broken_with_forbidden", "not_judged", "errors"):
        if s[key]:
            lines.append(f"{key}: {', '.join(s[key])}")
    missed = sorted({m for t in s["problems"].values() for m in t["missed"]})
    if missed:
        lines.append(f"missed: {', '.join(missed)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("filters", nargs="*", help="only cases whose group/name holds one of these")
    ap.add_argument("--half", choices=("calibration", "validation", *FRESH_SETS, "both"), default="both")
    ap.add_argument("--keep", type=Path, help="keep run directories and native logs here")
    ap.add_argument("--reuse", action="store_true", help="with --keep: re-diagnose, do not re-train")
    ap.add_argument("--verify", action="store_true", help="run each case and its control, compare metrics")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    ap.add_argument("--make-split", action="store_true", help="write tests/corpus/split.json (once)")
    ap.add_argument("--save-logs", type=Path, help="copy each case's native log here (CI fixtures)")
    args = ap.parse_args(argv)
    cases = load(args.filters)
    if args.make_split:
        SPLIT.write_text(json.dumps(make_split(cases), indent=1) + "\n")
        print(f"split written to {SPLIT}")
        return 0
    split = halves()
    if args.half != "both":
        cases = [c for c in cases if half_of(c.name, split) == args.half]
    if args.verify:
        with ThreadPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(verify, cases))
        bad = [r for r in rows if r["control_better"] is False or "error" in r["planted"]]
        for r in rows:
            print(f"{r['name']:<60} control_better={r['control_better']}  planted={r['planted']}  "
                  f"control={r['control']}")
        print(f"\n{len(rows) - len(bad)}/{len(rows)} labels supported by their evidence")
        return 1 if bad else 0
    with tempfile.TemporaryDirectory(prefix="traindx-corpus-") as tmp:
        work = args.keep or Path(tmp)
        with ThreadPoolExecutor(args.jobs) as pool:
            per_case = list(pool.map(lambda c: run_case(c, work, args.reuse), cases))
        if args.save_logs:
            save_logs(cases, work, args.save_logs)
    results = {r["name"]: r for rs in per_case for r in rs}
    for c, rs in zip(cases, per_case):
        for r, v in zip(rs, c.variants):
            status = r.get("error") or ("ok" if not r["missed"] and not r["false_alarms"] else
                                        f"missed={r['missed']} false_alarms={r['false_alarms']}")
            print(f"{v.name:<66} {r['seconds']:>5.1f}s {r.get('verdict', '?'):<11} "
                  f"flagged={r.get('flagged', [])} {status}")
    report = {}
    for half in ("calibration", "validation", *FRESH_SETS):
        vs = [v for c in cases if half_of(c.name, split) == half for v in c.variants]
        if vs:
            report[half] = score(vs, results)
            print("\n" + render(half, report[half]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"halves": report, "results": results}, indent=1) + "\n")
    print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
