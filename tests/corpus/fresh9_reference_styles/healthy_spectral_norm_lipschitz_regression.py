# expect:
# allow:
# forbid: *
# evidence: 20 epochs Adam 4e-3, spectral_norm on the 3 hidden layers: train_mse 0.0152, val_mse 0.022 vs target_var 0.698 (R^2 0.968; noise floor 0.0025)
"""Lipschitz-constrained regressor: spectral_norm (torch.nn.utils.parametrizations) on the hidden
layers of an MLP, with an unconstrained output scale, for a smooth physical-ish target
(damped-oscillator energy from 6 inputs). Adam + ReduceLROnPlateau, mini-batches of 64."""
import json
from dataclasses import dataclass, field

import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm


@dataclass
class HParams:
    width: int = 128
    lr: float = 4e-3
    epochs: int = 20
    batch_size: int = 64
    n_train: int = 2000
    n_val: int = 800
    noise: float = 0.05
    seed: int = 7
    sn_layers: list = field(default_factory=lambda: [0, 1, 2])


def target(x):
    # energy-like smooth function of position, velocity, mass, stiffness, damping, time
    pos, vel, m, k, c, t = x.unbind(1)
    m, k, c = 1.0 + 0.5 * torch.tanh(m), 1.0 + 0.5 * torch.tanh(k), 0.2 + 0.1 * torch.tanh(c)
    decay = torch.exp(-c * (1.5 + torch.tanh(t)))
    return decay * (0.5 * m * vel ** 2 + 0.5 * k * pos ** 2)


class LipschitzMLP(nn.Module):
    def __init__(self, hp):
        super().__init__()
        dims = [6, hp.width, hp.width, hp.width]
        layers = []
        for i in range(3):
            lin = nn.Linear(dims[i], dims[i + 1])
            layers += [spectral_norm(lin) if i in hp.sn_layers else lin, nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(hp.width, 1)  # unconstrained: sets the output scale

    def forward(self, x):
        return self.out(self.body(x)).squeeze(-1)


def main(hp=HParams()):
    torch.manual_seed(hp.seed)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(hp.seed)
    xtr = torch.randn(hp.n_train, 6, generator=g)
    xva = torch.randn(hp.n_val, 6, generator=g)
    ytr = target(xtr) + hp.noise * torch.randn(hp.n_train, generator=g)
    yva = target(xva) + hp.noise * torch.randn(hp.n_val, generator=g)
    net = LipschitzMLP(hp)
    opt = torch.optim.Adam(net.parameters(), lr=hp.lr)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.3, patience=3)
    mse = nn.MSELoss()
    for ep in range(hp.epochs):
        net.train()
        perm = torch.randperm(hp.n_train)
        run = 0.0
        for i in range(0, hp.n_train, hp.batch_size):
            b = perm[i:i + hp.batch_size]
            l = mse(net(xtr[b]), ytr[b])
            opt.zero_grad()
            l.backward()
            opt.step()
            run += l.item() * len(b)
        net.eval()
        with torch.no_grad():
            v = mse(net(xva), yva).item()
        plateau.step(v)
        if ep % 5 == 0 or ep == hp.epochs - 1:
            print(f"ep {ep:2d} train_mse {run / hp.n_train:.4f} val_mse {v:.4f} lr {opt.param_groups[0]['lr']:.1e}")
    with torch.no_grad():
        t = mse(net(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(v, 4), "target_var": round(yva.var().item(), 4),
                                         "train_mse": round(t, 4), "val_loss": round(v, 4), "train_loss": round(t, 4)}))


if __name__ == "__main__":
    main()
