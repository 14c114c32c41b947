"""Registration of the commands that live in their own modules. Each import is guarded so that a
command under construction never breaks the others."""
from __future__ import annotations

import importlib

import typer

# (command name, module, function)
COMMANDS = [
    ("bayes", "bayes_cmd", "bayes_cmd"),
    ("train", "train_cmd", "train_cmd"),
    ("demo", "demo_cmd", "demo_cmd"),
    ("inspect", "inspect_cmd", "inspect_cmd"),
    ("tune", "tune_cmd", "tune_cmd"),
    ("learning-curve", "learning_curve_cmd", "learning_curve_cmd"),
]


def register(app: typer.Typer) -> None:
    for name, module, func in COMMANDS:
        try:
            mod = importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
            continue
        app.command(name)(getattr(mod, func))
