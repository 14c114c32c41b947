"""Patch a framework right after the script imports it (never import it ourselves: a script that
does not use the framework must not pay for, or be changed by, its import)."""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from typing import Callable

Patch = Callable[[object], None]  # gets the freshly executed module


class AfterImport(importlib.abc.MetaPathFinder):
    """Finds the named modules through the other finders, then runs `patch` once each is executed."""

    def __init__(self, patches: dict[str, Patch]):
        self.patches, self.busy = patches, False

    def find_spec(self, name, path=None, target=None):
        if name not in self.patches or self.busy:
            return None
        self.busy = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self.busy = False
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, self.patches[name])
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch: Patch):
        self.loader, self.patch = loader, patch

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        self.patch(module)


def install(patches: dict[str, Patch]) -> AfterImport:
    """Patch the modules already imported now, the others when the script imports them."""
    for name, patch in patches.items():
        if name in sys.modules:
            patch(sys.modules[name])
    finder = AfterImport(patches)
    sys.meta_path.insert(0, finder)
    return finder


def uninstall(finder: AfterImport) -> None:
    if finder in sys.meta_path:
        sys.meta_path.remove(finder)
