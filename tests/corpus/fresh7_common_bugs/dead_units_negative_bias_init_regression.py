# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: control (default bias init) val_mse 0.060 (target var 0.977); planted (bias=-4) val_mse 0.978 = predicts the mean; probe: 100% of ReLUs never fire in all 3 hidden layers at init and at end
# control: --control
"""House-price-like tabular regression (12 standardised features, standardised target) with a
small Trainer class, a 3-hidden-layer ReLU MLP and AdamW.

Planted bug: an `init_weights` helper sets every hidden Linear bias to -4.0 (someone copied a
"negative bias for sparse activations" trick and got the sign/size wrong). With standardised
inputs the pre-activations are ~N(-4, 0.6): the ReLUs never fire, no gradient reaches the hidden
layers, and the net predicts a constant. `--control` uses the default PyTorch bias init.
"""
import argparse
import json
import math

import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_in, width=64, bad_bias=True):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(d_in, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.head = nn.Linear(width, 1)
        if bad_bias:
            for lin in self.hidden:
                nn.init.constant_(lin.bias, -4.0)   # BUG

    def forward(self, x, return_acts=False):
        acts = []
        for lin in self.hidden:
            x = torch.relu(lin(x))
            acts.append(x)
        out = self.head(x).squeeze(-1)
        return (out, acts) if return_acts else out


class Trainer:
    def __init__(self, model, lr=2e-3, wd=1e-4, batch_size=64, epochs=15):
        self.model = model
        self.opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
        self.loss_fn = nn.MSELoss()
        self.batch_size, self.epochs = batch_size, epochs

    def evaluate(self, x, y):
        self.model.eval()
        with torch.no_grad():
            l = self.loss_fn(self.model(x), y).item()
        self.model.train()
        return l

    def fit(self, xtr, ytr, xva, yva):
        for ep in range(self.epochs):
            perm = torch.randperm(len(xtr))
            run = 0.0
            for i in range(0, len(xtr), self.batch_size):
                idx = perm[i:i + self.batch_size]
                self.opt.zero_grad()
                loss = self.loss_fn(self.model(xtr[idx]), ytr[idx])
                loss.backward()
                self.opt.step()
                run += loss.item() * len(idx)
            print(f"epoch {ep+1:2d}  train_mse {run/len(xtr):.4f}  val_mse {self.evaluate(xva, yva):.4f}")


def make_data(n, g):
    x = torch.randn(n, 12, generator=g)
    y = (1.5 * x[:, 0] + torch.sin(2 * x[:, 1]) + x[:, 2] * x[:, 3] - 0.8 * x[:, 4].abs()
         + 0.5 * torch.tanh(x[:, 5] + x[:, 6]) + 0.3 * torch.randn(n, generator=g))
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(42)
    xtr, ytr = make_data(4000, g)
    xva, yva = make_data(1000, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd

    model = MLP(12, bad_bias=not args.control)
    with torch.no_grad():
        _, acts = model(xtr[:1000], return_acts=True)
        dead0 = [round((a.max(0).values <= 0).float().mean().item(), 3) for a in acts]
    print("probe at init: fraction of ReLU units never firing per hidden layer:", dead0)
    trainer = Trainer(model)
    trainer.fit(xtr, ytr, xva, yva)
    with torch.no_grad():
        _, acts = model(xva, return_acts=True)
        dead1 = [round((a.max(0).values <= 0).float().mean().item(), 3) for a in acts]
    print("probe at end: fraction of ReLU units never firing per hidden layer:", dead1)
    vm, tm = trainer.evaluate(xva, yva), trainer.evaluate(xtr, ytr)
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "train_mse": round(tm, 4),
                                         "target_var": round(yva.var().item(), 4)}))


if __name__ == "__main__":
    main()
