"""One file per detector; importing this package registers them all."""
from . import (activations, bayes_gap, class_imbalance, gradients, learning_rate,  # noqa: F401
               non_convergence, non_finite, overfitting, poor_initialization, unnormalized_inputs)
from . import weights  # noqa: F401,E402  (traindx inspect: checkpoint weight statistics)
