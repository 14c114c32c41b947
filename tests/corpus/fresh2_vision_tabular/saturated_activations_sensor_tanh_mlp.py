# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, high_bias, non_convergence, overfitting, high_variance
# forbid: *
# evidence: planted (N(0,1) init): 78% of hidden tanh outputs have |a|>0.99 on val throughout, val_acc 0.740, val_loss 3.37 (train_loss 0.08; first-epoch loss 10.9); control (Xavier tanh gain): 1-5% saturated, val_acc 0.926, val_loss 0.26
# control: --control
"""Activity recognition from 32 hand-crafted accelerometer features (standardised), 5 classes.
Tanh MLP (32-256-256-256-5). The init helper draws every weight from N(0, 1) - copied from
a tutorial on 3-input toy nets - so with fan-in 256 the pre-activations have std ~16 and
almost every tanh sits at +-1. --control: Xavier-normal init with the tanh gain, the only
change. We log the fraction of hidden activations with |tanh| > 0.99 on the val set."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(4)
rng = np.random.default_rng(4)
CONTROL = "--control" in sys.argv
D, K = 32, 5

proto = rng.normal(0, 1, (K, 8))
mix = rng.normal(0, 1, (8, D)) / np.sqrt(8)


def sample(n):
    y = rng.integers(0, K, n)
    latent = proto[y] + rng.normal(0, 0.9, (n, 8))
    x = np.tanh(latent @ mix) * 2 + 0.3 * (latent @ mix) ** 2 + rng.normal(0, 0.3, (n, D))
    return torch.tensor(x, dtype=torch.float32), torch.from_numpy(y).long()


Xtr, Ytr = sample(3000)
Xva, Yva = sample(1000)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd


class ActivityNet(nn.Module):
    def __init__(self, width=256):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(D, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.head = nn.Linear(width, K)

    def forward(self, x, keep=None):
        for lin in self.layers:
            x = torch.tanh(lin(x))
            if keep is not None:
                keep.append(x)
        return self.head(x)


def init_params(model):
    for m in model.modules():
        if isinstance(m, nn.Linear):
            if CONTROL:
                nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
            else:
                nn.init.normal_(m.weight, 0.0, 1.0)
            nn.init.zeros_(m.bias)


model = ActivityNet()
init_params(model)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def train_one_epoch(bs=64):
    model.train()
    perm = torch.randperm(len(Ytr))
    tot, hit = 0.0, 0
    for i in range(0, len(perm), bs):
        b = perm[i:i + bs]
        out = model(Xtr[b])
        loss = F.cross_entropy(out, Ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        tot += loss.item() * len(b)
        hit += (out.argmax(1) == Ytr[b]).sum().item()
    return {"train_loss": tot / len(perm), "train_acc": hit / len(perm)}


@torch.no_grad()
def evaluate():
    model.eval()
    acts = []
    out = model(Xva, keep=acts)
    sat = torch.cat([(a.abs() > 0.99).float().flatten() for a in acts]).mean().item()
    return {"val_loss": F.cross_entropy(out, Yva).item(), "val_acc": (out.argmax(1) == Yva).float().mean().item(),
            "saturated_frac": sat}


for ep in range(12):
    m = train_one_epoch()
    m.update(evaluate())
    print(f"epoch {ep:02d} " + " ".join(f"{k}={v:.4f}" for k, v in m.items()))

print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in m.items()} | {"chance_acc": 0.2}))
