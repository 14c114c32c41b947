# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, overfitting, high_variance
# forbid: *
# evidence: planted (hidden weights N(0,1), fan-in 128) 44%/79%/81% of tanh outputs have |h|>0.99 on test data, test mse 0.291 (train loss 0.02, valid loss rising from 0.236); control (--control, Xavier init with tanh gain) <=2.7% saturated, test mse 0.026 (target variance 0.96)
# control: --control
# native-log: rul_history.json
# log-expect:
# log-allow: overfitting, high_variance
"""Remaining-useful-life regression for turbofan engines from 14 (standardised) sensor channels.

tanh MLP; weights drawn from N(0, 1) "like in the lecture notes".  --control uses Xavier init.
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetRegressor
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(606)
CONTROL = "--control" in sys.argv


class RULNet(nn.Module):
    def __init__(self, n_in=14, width=128, depth=3):
        super().__init__()
        dims = [n_in] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.out = nn.Linear(width, 1)
        for lin in self.hidden:
            if CONTROL:
                nn.init.xavier_uniform_(lin.weight, gain=nn.init.calculate_gain("tanh"))
            else:
                nn.init.normal_(lin.weight)          # mean 0, std 1
            nn.init.zeros_(lin.bias)
        self.last_acts = []

    def forward(self, x):
        self.last_acts = []
        for lin in self.hidden:
            x = torch.tanh(lin(x))
            self.last_acts.append(x.detach())
        return self.out(x)


def engines(n, rng):
    wear = rng.uniform(0, 1, n)                      # fraction of life consumed
    load = rng.normal(size=(n, 3))
    sens = np.column_stack([
        wear ** 2 * 2 + 0.3 * load[:, 0], np.exp(1.5 * wear) - 1 + 0.2 * load[:, 1], -wear + 0.4 * load[:, 2],
        np.sin(3 * wear) + 0.2 * load[:, 0], wear * load[:, 1], 0.5 * wear + 0.3 * load[:, 2] ** 2,
    ] + [rng.normal(size=n) * 0.5 + 0.3 * wear for _ in range(8)])
    sens += rng.normal(0, 0.1, sens.shape)
    rul = 200 * (1 - wear)
    return sens, rul


rng = np.random.default_rng(606)
S, rul = engines(3000, rng)
S = ((S - S[:2400].mean(0)) / S[:2400].std(0)).astype(np.float32)
y = ((rul - rul[:2400].mean()) / rul[:2400].std()).astype(np.float32)[:, None]

reg = NeuralNetRegressor(
    RULNet, optimizer=torch.optim.Adam, lr=1e-3, max_epochs=20, batch_size=64,
    train_split=ValidSplit(0.2, random_state=3),
    callbacks=[EpochScoring("neg_mean_absolute_error", name="valid_neg_mae", lower_is_better=False)],
    verbose=0,
)
reg.fit(S[:2400], y[:2400])
reg.history.to_file(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "rul_history.json"))

val_mse = float(np.mean((reg.predict(S[2400:]) - y[2400:]) ** 2))
with torch.no_grad():
    reg.module_(torch.tensor(S[2400:]))
sat = [float((a.abs() > 0.99).float().mean()) for a in reg.module_.last_acts]
print(f"saturated (|tanh|>0.99) fraction per hidden layer: {[round(s, 3) for s in sat]}; test mse {val_mse:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "train_loss": round(float(reg.history[-1, "train_loss"]), 4),
                                      "target_var": round(float(y[2400:].var()), 4), "saturated_fraction": [round(s, 3) for s in sat]}))
