# expect:
# allow:
# forbid: *
# evidence: 8 epochs SGD-Nesterov 0.02 + StepLR, weight_norm parametrized convs: train_mse 0.0092, val_mse 0.0091 vs target_var 0.70 (R^2 0.987; noise floor 0.0025)
"""WaveNet/TCN-ish temporal conv net whose convolutions are wrapped with
torch.nn.utils.parametrizations.weight_norm; forecasting a noisy multi-sine signal one step ahead
(regression). SGD with Nesterov momentum and step decay, gradient clipping."""
import argparse
import json
import math

import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import weight_norm


class Chomp1d(nn.Module):
    def __init__(self, chomp):
        super().__init__()
        self.chomp = chomp

    def forward(self, x):
        return x[:, :, :-self.chomp].contiguous()


class TemporalBlock(nn.Module):
    def __init__(self, n_in, n_out, k, dilation):
        super().__init__()
        pad = (k - 1) * dilation
        self.net = nn.Sequential(
            weight_norm(nn.Conv1d(n_in, n_out, k, padding=pad, dilation=dilation)), Chomp1d(pad), nn.ReLU(),
            weight_norm(nn.Conv1d(n_out, n_out, k, padding=pad, dilation=dilation)), Chomp1d(pad), nn.ReLU())
        self.downsample = nn.Conv1d(n_in, n_out, 1) if n_in != n_out else None

    def forward(self, x):
        res = x if self.downsample is None else self.downsample(x)
        return torch.relu(self.net(x) + res)


class TCN(nn.Module):
    def __init__(self, channels=(24, 24, 24), k=3):
        super().__init__()
        layers, c_in = [], 1
        for i, c in enumerate(channels):
            layers.append(TemporalBlock(c_in, c, k, dilation=2 ** i))
            c_in = c
        self.tcn = nn.Sequential(*layers)
        self.head = weight_norm(nn.Linear(c_in, 1))

    def forward(self, x):  # x: (B, 1, T) -> prediction of the next value
        return self.head(self.tcn(x)[:, :, -1]).squeeze(-1)


def series(n, T, gen):
    t0 = torch.rand(n, 1, generator=gen) * 100
    t = t0 + torch.arange(T + 1).float() * 0.25
    amp = 0.5 + torch.rand(n, 1, generator=gen)
    s = amp * torch.sin(t) + 0.5 * torch.sin(0.37 * t + 1.0) + 0.25 * torch.sin(2.3 * t)
    s = s + 0.05 * torch.randn(s.shape, generator=gen)
    return s[:, None, :-1], s[:, -1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.02)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(0)
    xtr, ytr = series(1200, 32, gen)
    xva, yva = series(500, 32, gen)
    model = TCN()
    print("parametrized:", [n for n, _ in model.named_parameters() if "original" in n][:2], "...")
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.3)
    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 32):
            b = perm[i:i + 32]
            loss = nn.functional.mse_loss(model(xtr[b]), ytr[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            tot += loss.item() * len(b)
        sched.step()
        model.eval()
        with torch.no_grad():
            vmse = nn.functional.mse_loss(model(xva), yva).item()
        print(f"epoch {ep:2d} train_mse {tot / len(xtr):.5f} val_mse {vmse:.5f} lr {sched.get_last_lr()[0]:.4f}")
    with torch.no_grad():
        tmse = nn.functional.mse_loss(model(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 5), "target_var": round(yva.var().item(), 5),
                                         "train_mse": round(tmse, 5), "val_loss": round(vmse, 5),
                                         "train_loss": round(tmse, 5)}))


if __name__ == "__main__":
    main()
