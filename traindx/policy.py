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

import tomllib
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

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
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    table = data.get("tool", {}).get("traindx")
    return table if isinstance(table, dict) else None


def load(path: Path) -> dict[str, Any]:
    """The validated policy in `path`: {fail_on?, ignore, severity, thresholds, map}."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such policy file")
    if path.name == "pyproject.toml":
        try:
            raw = tomllib.loads(path.read_text()).get("tool", {}).get("traindx", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InputError(path, f"not valid TOML ({exc})") from None
    else:
        try:
            raw = yaml.safe_load(path.read_text()) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise InputError(path, f"not valid YAML ({str(exc).splitlines()[0]})") from None
    return validate(raw, path)


def validate(raw: Any, path: Path | str = "policy") -> dict[str, Any]:
    from .diagnose.registry import DETECTORS
    from .diagnose.thresholds import DEFAULTS
    from .remedies import PROBLEMS
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
        if prob not in problems:
            raise fail(f"ignore: unknown problem {prob!r}")
    policy["ignore"] = list(ignore)
    for prob, level in _mapping(raw, "severity", fail).items():
        if prob not in problems:
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
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise fail(f"thresholds of {det}: {key} must be a number, got {value!r}")
        policy["thresholds"][det] = dict(values)
    for canon, column in _mapping(raw, "map", fail).items():
        if canon not in CANONICAL or not isinstance(column, str):
            raise fail(f"map: expected NAME: COLUMN with NAME one of {', '.join(CANONICAL)}")
        policy["map"][canon] = column
    return policy


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
