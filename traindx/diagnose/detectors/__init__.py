"""One file per detector; importing this package registers them all."""
from . import gradients, non_convergence, non_finite, overfitting  # noqa: F401
