# expect: dead_units
# allow: poor_initialization, high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: planted (hidden bias init -0.5): 64% of hidden units never fire on val (layer 3: 100%, layer 2: 93%), val_mse 0.9945 = target variance 0.9947; control (bias 0): 3.7% dead, val_mse 0.053
# control: --control
"""House-price style regression: 12 standardised numeric columns + neighbourhood (x16,
embedded). A 4-layer ReLU MLP whose init routine sets every hidden bias to BIAS_INIT "so the
ReLUs start sparse". Layer 1 survives, but its outputs are small, so in layers 2 and 3 the
-0.5 bias wins on every row: those units never fire, get no gradient, and stay dead; the net
outputs a constant. --control: hidden biases initialised to 0 (the only change).
We log the fraction of hidden units that never fire on the validation set."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(21)
rng = np.random.default_rng(21)

BIAS_INIT = 0.0 if "--control" in sys.argv else -0.5
D, N_HOOD = 12, 16
w1 = rng.normal(0, 1, D)
hood_eff = rng.normal(0, 1, N_HOOD)


def sample(n):
    x = rng.normal(0, 1, (n, D))
    hood = rng.integers(0, N_HOOD, n)
    y = x @ w1 * 0.5 + np.sin(2 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.7 * np.abs(x[:, 3]) + hood_eff[hood] + rng.normal(0, 0.3, n)
    return torch.tensor(x, dtype=torch.float32), torch.from_numpy(hood).long(), torch.tensor(y, dtype=torch.float32)


Xtr, Htr, Ytr = sample(4000)
Xva, Hva, Yva = sample(1000)
y_mu, y_sd = Ytr.mean(), Ytr.std()
Ytr, Yva = (Ytr - y_mu) / y_sd, (Yva - y_mu) / y_sd


class PriceNet(nn.Module):
    def __init__(self, width=128):
        super().__init__()
        self.hood = nn.Embedding(N_HOOD, 4)
        self.hidden = nn.ModuleList([nn.Linear(D + 4, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.out = nn.Linear(width, 1)

    def forward(self, x, h, return_acts=False):
        z = torch.cat([x, self.hood(h)], 1)
        acts = []
        for lin in self.hidden:
            z = F.relu(lin(z))
            acts.append(z)
        y = self.out(z).squeeze(1)
        return (y, acts) if return_acts else y


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_uniform_(m.weight, a=5 ** 0.5)
        nn.init.constant_(m.bias, BIAS_INIT)


model = PriceNet()
for lin in model.hidden:
    init_weights(lin)

opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)


def train_one_epoch(bs=64):
    model.train()
    perm = torch.randperm(len(Ytr))
    tot = 0.0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        loss = F.mse_loss(model(Xtr[b], Htr[b]), Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
    return {"train_mse": tot / len(perm)}


@torch.no_grad()
def evaluate():
    model.eval()
    pred, acts = model(Xva, Hva, return_acts=True)
    dead = [(a.amax(0) <= 0).float().mean().item() for a in acts]
    return {"val_mse": F.mse_loss(pred, Yva).item(), "dead_frac": sum(dead) / len(dead), "dead_l1": dead[0], "dead_l3": dead[2]}


for ep in range(15):
    m = train_one_epoch()
    m.update(evaluate())
    print(f"ep {ep:2d} | " + " | ".join(f"{k} {v:.4f}" for k, v in m.items()))

print("CORPUS_METRIC " + json.dumps({"val_mse": round(m["val_mse"], 4), "target_var": round(Yva.var().item(), 4),
                                      "train_mse": round(m["train_mse"], 4), "val_loss": round(m["val_mse"], 4),
                                      "dead_unit_frac": round(m["dead_frac"], 4)}))
