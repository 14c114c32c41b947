"""The package reads top-down: CLI → integrations / API / trainer → analysis core (analysis,
live, explain) → report → remedies / policy → diagnose → runs → record → errors, safe_io,
problems. A module imports only from its own layer or the layers below; nothing imports the CLI.
Checked on the source (every `import` and `from ... import` in traindx/), so a new upward
import fails here before it tangles the code."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "traindx"
LAYERS = [("errors", "safe_io", "problems", "__version__"), ("record",), ("runs",), ("diagnose",),
          ("remedies", "policy"), ("report",), ("analysis", "live", "explain"),
          ("api", "train", "integrations"), ("cli",)]
LEVEL = {part: i for i, names in enumerate(LAYERS) for part in names}
ENTRY_POINTS = ("__init__", "__main__")  # `import traindx` and `python -m traindx` sit above all


def _imports(path: Path, package_dir: Path = PACKAGE):
    """(the importing part, the imported part) for each traindx import in `path`."""
    rel = path.relative_to(package_dir.parent).with_suffix("").parts
    package = rel if path.name == "__init__.py" else rel[:-1]
    package = package[:-1] if package[-1] == "__init__" else package
    here = rel[1] if len(rel) > 1 else "__init__"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[:len(package) - node.level + 1]) if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            if target[:1] != ["traindx"]:
                continue
            for alias in node.names:
                full = target + ([] if node.module and len(target) > 1 else [alias.name])
                yield here, full[1] if len(full) > 1 else "__init__"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "traindx":
                    yield here, parts[1] if len(parts) > 1 else "__init__"


def test_every_import_points_down_the_layers():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        for here, there in _imports(path):
            if here in ENTRY_POINTS or here == there:
                continue
            assert here in LEVEL and there in LEVEL, f"{path}: {here} -> {there}: put it in a layer"
            if LEVEL[there] > LEVEL[here]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}: {here} imports {there}")
    assert not upward, "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The checker itself: a record module that imports the CLI is caught."""
    fake = tmp_path / "traindx" / "record"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from ..cli import common\nfrom . import stats\n")
    assert list(_imports(fake / "bad.py", tmp_path / "traindx")) == [("record", "cli"), ("record", "record")]
