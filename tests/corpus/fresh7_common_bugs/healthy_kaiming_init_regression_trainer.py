# expect:
# allow:
# forbid: *
# evidence: healthy; val_mse 0.093 vs target var 0.992 (R^2 0.91), train_mse 0.066, 0% dead ReLUs
"""House-price-like tabular regression (12 standardised features, standardised target) with a
small Trainer class, a 3-hidden-layer ReLU MLP and AdamW.

Healthy twin of dead_units_negative_bias_init_regression.py: the init helper uses He (Kaiming)
normal weights and a small positive bias (0.01), and the lr follows a cosine decay.
"""
import argparse
import json
import math

import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_in, width=64):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(d_in, width), nn.Linear(width, width), nn.Linear(width, width)])
        self.head = nn.Linear(width, 1)
        for lin in self.hidden:
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            nn.init.constant_(lin.bias, 0.01)

    def forward(self, x, return_acts=False):
        acts = []
        for lin in self.hidden:
            x = torch.relu(lin(x))
            acts.append(x)
        out = self.head(x).squeeze(-1)
        return (out, acts) if return_acts else out


class Trainer:
    def __init__(self, model, lr=1e-3, wd=1e-2, batch_size=64, epochs=15):
        self.model = model
        self.opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
        self.loss_fn = nn.MSELoss()
        self.batch_size, self.epochs = batch_size, epochs
        self.sched = torch.optim.lr_scheduler.CosineAnnealingLR(self.opt, T_max=epochs)

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
            self.sched.step()
            print(f"epoch {ep+1:2d}  train_mse {run/len(xtr):.4f}  val_mse {self.evaluate(xva, yva):.4f}")


def make_data(n, g):
    x = torch.randn(n, 12, generator=g)
    y = (1.5 * x[:, 0] + torch.sin(2 * x[:, 1]) + x[:, 2] * x[:, 3] - 0.8 * x[:, 4].abs()
         + 0.5 * torch.tanh(x[:, 5] + x[:, 6]) + 0.3 * torch.randn(n, generator=g))
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(42)
    xtr, ytr = make_data(6000, g)
    xva, yva = make_data(1000, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd

    model = MLP(12)
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
