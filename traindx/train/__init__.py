"""The built-in trainer behind `traindx train`, `demo`, `tune` and `learning-curve`:
config schema (config.py), data sets (data.py), models (models.py), the recorded training loop
(trainer.py), remedy trials (remedies.py) and terminal views (view.py)."""
from __future__ import annotations

from importlib import resources

import yaml

from . import config


def builtin_names() -> list[str]:
    root = resources.files(__package__).joinpath("configs")
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_config(name: str) -> dict:
    """A validated built-in config (package data traindx/train/configs/NAME.yaml)."""
    text = resources.files(__package__).joinpath("configs", f"{name}.yaml").read_text(encoding="utf-8")
    return config.validate(yaml.safe_load(text), f"builtin:{name}")
