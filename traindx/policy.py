"""The policy file: how strict `traindx check` is, configured the way linters are.

Found from the current directory upwards (stopping at a repository root): `traindx.yaml` (or
`.traindx.yaml`), else the `[tool.traindx]` table of `pyproject.toml`; `--config FILE` names one.

    fail_on: warning            # error | warning | never (a --fail-on flag wins)
    ignore: [class_imbalance]   # problems never reported
    severity:                   # per-problem severity: error | warning | info | off (= ignore)
      overfitting: error
    thresholds:                 # per detector, keys as in traindx/diagnose/thresholds.py
      overfitting: {min_rise: 0.2, patience: 3}
    map:                        # column overrides, as --map (the flag wins)
      train_loss: my_loss

Unknown keys, problems, detectors or thresholds are errors (exit 2), so a typo never silently
weakens a CI gate.
"""
from __future__ import annotations

import math
import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError
from .safe_io import load_yaml, read_text

KEYS = ("fail_on", "ignore", "severity", "thresholds", "map")
FAIL_ON = ("error", "warning", "never")
SEVERITIES = ("error", "warning", "info", "off")
YAML_NAMES = ("traindx.yaml", ".traindx.yaml")


def find(start: Path | None = None) -> Path | None:
    """The nearest policy file from `start` (default: the current directory) upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in YAML_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_table(pyproject) is not None:
            return pyproject
        if (folder / ".git").exists():
            break
    return None


def _pyproject_table(path: Path) -> dict | None:
    """The [tool.traindx] table, None when the file has none. A file that mentions traindx but
    cannot be read (bad TOML, a duplicate table, `tool.traindx = "warning"`) is an error: a policy
    that silently drops out would weaken a CI gate."""
    text = read_text(path, "pyproject.toml")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "traindx" in text:
            raise InputError(path, f"not valid TOML, so its [tool.traindx] policy cannot be "
                                   f"read ({exc})") from None
        return None
    tool = data.get("tool", {})
    if not isinstance(tool, dict) or "traindx" not in tool:
        return None
    if not isinstance(tool["traindx"], dict):
        raise InputError(path, f"tool.traindx must be a table of settings, got {tool['traindx']!r}")
    return tool["traindx"]


def load(path: Path) -> dict[str, Any]:
    """The validated policy in `path`: {fail_on?, ignore, severity, thresholds, map}."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such policy file")
    if path.name == "pyproject.toml":
        raw = _pyproject_table(path) or {}
    else:
        raw = load_yaml(read_text(path, "policy file"), path) or {}
    return validate(raw, path)


def validate(raw: Any, path: Path | str = "policy") -> dict[str, Any]:
    from .diagnose.registry import DETECTORS
    from .diagnose.thresholds import DEFAULTS
    from .problems import PROBLEMS
    from .runs.formats.columns import CANONICAL

    def fail(problem: str) -> InputError:
        return InputError(path, problem)

    if not isinstance(raw, dict):
        raise fail("expected a mapping of settings (fail_on, ignore, severity, thresholds, map)")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise fail(f"unknown setting {unknown[0]!r}; known: {', '.join(KEYS)}")
    problems = set(PROBLEMS) | set(DETECTORS)
    policy: dict[str, Any] = {"ignore": [], "severity": {}, "thresholds": {}, "map": {}}
    if "fail_on" in raw:
        if raw["fail_on"] not in FAIL_ON:
            raise fail(f"fail_on must be one of {', '.join(FAIL_ON)}, got {raw['fail_on']!r}")
        policy["fail_on"] = raw["fail_on"]
    ignore = raw.get("ignore") or []
    if isinstance(ignore, str) or not isinstance(ignore, list):
        raise fail("ignore must be a list of problem ids")
    for prob in ignore:
        if not isinstance(prob, str) or prob not in problems:
            raise fail(f"ignore: unknown problem {prob!r}")
    policy["ignore"] = list(ignore)
    for prob, level in _mapping(raw, "severity", fail).items():
        if not isinstance(prob, str) or prob not in problems:
            raise fail(f"severity: unknown problem {prob!r}")
        if level not in SEVERITIES:
            raise fail(f"severity of {prob}: must be one of {', '.join(SEVERITIES)}, got {level!r}")
        if level == "off":
            policy["ignore"].append(prob)
        else:
            policy["severity"][prob] = level
    for det, values in _mapping(raw, "thresholds", fail).items():
        if det not in DEFAULTS:
            raise fail(f"thresholds: unknown detector {det!r}; known: {', '.join(sorted(DEFAULTS))}")
        if not isinstance(values, dict):
            raise fail(f"thresholds of {det}: expected a mapping of threshold: value")
        for key, value in values.items():
            if key not in DEFAULTS[det]:
                known = ", ".join(DEFAULTS[det]) or "none"
                raise fail(f"thresholds of {det}: unknown threshold {key!r}; known: {known}")
            problem = _threshold_problem(key, value, DEFAULTS[det][key])
            if problem:
                raise fail(f"thresholds of {det}: {key} {problem}")
        policy["thresholds"][det] = dict(values)
    for canon, column in _mapping(raw, "map", fail).items():
        if canon not in CANONICAL or not isinstance(column, str):
            raise fail(f"map: expected NAME: COLUMN with NAME one of {', '.join(CANONICAL)}")
        policy["map"][canon] = column
    return policy


def _threshold_problem(key: str, value: Any, default: float) -> str | None:
    """Why `value` cannot stand for a threshold whose default is `default`, or None. Every
    threshold is a non-negative ratio, fraction, order of magnitude or count: NaN would switch a
    detector off, a negative value would flag every run."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"must be a number, got {value!r}"
    if not math.isfinite(value) or value < 0:
        return f"must be a finite number >= 0, got {value!r}"
    if isinstance(default, int) and not isinstance(default, bool) and (value != int(value) or value < 1):
        return f"must be a whole number >= 1 (a count), got {value!r}"
    if key.endswith("_frac") and value > 1:
        return f"is a fraction: must be at most 1, got {value!r}"
    return None


def _mapping(raw: dict, key: str, fail) -> dict:
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        raise fail(f"{key} must be a mapping")
    return value


def resolve(config: Path | None = None, start: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """(policy, the file it came from): `config` if given, else the nearest one, else defaults."""
    path = Path(config) if config is not None else find(start)
    if path is None:
        return {"ignore": [], "severity": {}, "thresholds": {}, "map": {}}, None
    return load(path), path
