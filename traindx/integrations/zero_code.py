"""Under `traindx run`, a Lightning or Hugging Face Trainer the script builds gets a TraindxCallback
(unless the script added one), so that an unmodified script is understood as well as one with
the callback: Lightning's sanity check is not an evaluation, the Trainer's logged eval metrics
reach the run. The callback joins the recording `traindx run` owns; it prints nothing and the
script's outputs, checkpoints and exit code are unchanged (the callback keeps no state)."""
from __future__ import annotations

import functools
import sys

from ..record import imports

_ORIGINAL = "_traindx_original_init"


def install():
    return imports.install({"lightning.pytorch": _patch_lightning, "pytorch_lightning": _patch_lightning,
                            "transformers.trainer": _patch_transformers})


def uninstall(finder) -> None:
    imports.uninstall(finder)
    for module, attr in (("lightning.pytorch", "Trainer"), ("pytorch_lightning", "Trainer"),
                         ("transformers.trainer", "Trainer")):
        cls = getattr(sys.modules.get(module), attr, None)
        original = getattr(getattr(cls, "__init__", None), _ORIGINAL, None)
        if original is not None:
            cls.__init__ = original


def _ours(callbacks) -> bool:
    return any(getattr(c, "_traindx", False) for c in callbacks or ())


def _patch_init(cls, add) -> None:
    """Wrap cls.__init__ so that `add(trainer, kwargs)` runs around it; never raises."""
    if hasattr(cls.__init__, _ORIGINAL):
        return
    original = cls.__init__

    @functools.wraps(original)
    def init(self, *args, **kwargs):
        add(self, kwargs, lambda: original(self, *args, **kwargs))

    setattr(init, _ORIGINAL, original)
    cls.__init__ = init


def _warn(framework: str, exc: Exception) -> None:
    print(f"traindx: {framework} callback not added: {type(exc).__name__}: {exc}", file=sys.stderr)


def _patch_lightning(module) -> None:
    def add(trainer, kwargs, init):
        try:
            callbacks = kwargs.get("callbacks")
            callbacks = [callbacks] if callbacks is not None and not isinstance(callbacks, (list, tuple)) \
                else list(callbacks or [])
            if not _ours(callbacks):
                from .lightning import TraindxCallback
                kwargs["callbacks"] = [*callbacks, TraindxCallback(report=False)]
        except Exception as exc:
            _warn("Lightning", exc)
        init()

    try:
        _patch_init(module.Trainer, add)
    except Exception as exc:
        _warn("Lightning", exc)


def _patch_transformers(module) -> None:
    def add(trainer, kwargs, init):
        init()
        try:
            if not _ours(trainer.callback_handler.callbacks):
                from .transformers import TraindxCallback
                trainer.add_callback(TraindxCallback(report=False))
        except Exception as exc:
            _warn("Hugging Face Trainer", exc)

    try:
        _patch_init(module.Trainer, add)
    except Exception as exc:
        _warn("Hugging Face Trainer", exc)
