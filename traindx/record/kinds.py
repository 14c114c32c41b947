"""Module kinds (class names as the recorder writes them), in one place for the detectors, the run
profile and the reports."""
from __future__ import annotations

# gradient exactly zero for negative inputs: a unit that is never positive is dead
HARD_ZERO = ("ReLU", "ReLU6", "relu")  # "relu": F.relu called as a function (kinds.FUNCTIONAL_RELU)
# the ReLU family, for which He initialisation is the right one (transformers' GELU classes too)
RELU_LIKE = HARD_ZERO + ("LeakyReLU", "PReLU", "RReLU", "ELU", "CELU", "SELU", "GELU", "SiLU", "Mish",
                         "Hardswish", "Softplus", "NewGELUActivation", "GELUActivation")
# bounded outputs that saturate (the recorder measures sat_frac for these; record/stats.py)
SATURATING = ("Sigmoid", "Tanh", "Hardtanh", "Hardsigmoid", "Softsign")
ACTIVATIONS = RELU_LIKE + SATURATING
# recurrent layers whose output (the hidden states) is bounded by a tanh: its gates and candidate
# saturate as a tanh does (an nn.RNN with nonlinearity="relu" is not measured as one)
RECURRENT = ("GRU", "LSTM", "RNN")
# activation functions called as functions in a model with no activation modules (record/functional.py)
FUNCTIONAL = ("tanh", "sigmoid")
# ... and the ReLU called as a function, measured since record/functional.py watches it (the run's
# start record says `functional_relu`; before, a functional model's layers were read as its inputs)
FUNCTIONAL_RELU = "relu"
# layers that compute with weights (their output feeds an activation)
COMPUTE = ("Linear", "Conv1d", "Conv2d", "Conv3d", "Bilinear", "LazyLinear", "LazyConv2d")
