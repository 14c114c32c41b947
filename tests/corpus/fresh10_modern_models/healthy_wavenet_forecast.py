# expect:
# allow:
# forbid: *
# evidence: 6 gated residual layers, 24 channels, Adam 3e-3 cosine, 200 steps; held-out val_mse 0.022 vs target variance 0.69 and naive last-value baseline 0.23 (noise var 0.0025); train_mse 0.022 (no gap)
"""Small 1-D WaveNet (dilated causal convs 1..32, gated tanh*sigmoid units, residual + skip paths) trained
for one-step-ahead forecasting of noisy multi-sine signals; Adam + cosine decay, grad clipping."""
import argparse, json, math
from dataclasses import dataclass
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


@dataclass
class WaveNetConfig:
    channels: int = 24
    dilations: tuple = (1, 2, 4, 8, 16, 32)
    kernel: int = 2
    seq_len: int = 64
    noise: float = 0.05
    lr: float = 3e-3
    steps: int = 200
    batch: int = 32
    gate_init_std: float = None   # None = PyTorch default conv init
    seed: int = 0


def make_signals(n, L, noise, rng):
    t = np.arange(L + 1)[None, :]
    x = np.zeros((n, L + 1))
    for _ in range(3):
        f = rng.uniform(0.02, 0.15, size=(n, 1)); ph = rng.uniform(0, 2 * np.pi, size=(n, 1)); a = rng.uniform(0.3, 1.0, size=(n, 1))
        x += a * np.sin(2 * np.pi * f * t + ph)
    x += noise * rng.normal(size=x.shape)
    return torch.tensor(x, dtype=torch.float32).unsqueeze(1)


class CausalConv1d(nn.Conv1d):
    def __init__(self, i, o, k, d):
        super().__init__(i, o, k, dilation=d)
        self.pad = (k - 1) * d

    def forward(self, x):
        return super().forward(F.pad(x, (self.pad, 0)))


class ResidualLayer(nn.Module):
    def __init__(self, c, k, d):
        super().__init__()
        self.filter = CausalConv1d(c, c, k, d)
        self.gate = CausalConv1d(c, c, k, d)
        self.res = nn.Conv1d(c, c, 1)
        self.skip = nn.Conv1d(c, c, 1)

    def forward(self, x):
        z = torch.tanh(self.filter(x)) * torch.sigmoid(self.gate(x))
        return x + self.res(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, c: WaveNetConfig):
        super().__init__()
        self.inp = CausalConv1d(1, c.channels, c.kernel, 1)
        self.layers = nn.ModuleList([ResidualLayer(c.channels, c.kernel, d) for d in c.dilations])
        self.out = nn.Sequential(nn.ReLU(), nn.Conv1d(c.channels, c.channels, 1), nn.ReLU(), nn.Conv1d(c.channels, 1, 1))
        if c.gate_init_std is not None:
            for l in self.layers:
                nn.init.normal_(l.filter.weight, std=c.gate_init_std); nn.init.normal_(l.gate.weight, std=c.gate_init_std)

    def forward(self, x):
        h = self.inp(x); skips = 0
        for l in self.layers:
            h, s = l(h); skips = skips + s
        return self.out(skips)


def gate_saturation(model, x):
    """fraction of tanh filter outputs with |tanh| > 0.99 (sigmoid gate < 0.01 or > 0.99 counted too)."""
    fr = []
    with torch.no_grad():
        h = model.inp(x)
        for l in model.layers:
            f, g = torch.tanh(l.filter(h)), torch.sigmoid(l.gate(h))
            fr.append(((f.abs() > 0.99).float().mean().item() + ((g < 0.01) | (g > 0.99)).float().mean().item()) / 2)
            h, _ = l(h)
    return float(np.mean(fr))


def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); a = ap.parse_args()
    c = WaveNetConfig()
    torch.manual_seed(c.seed); rng = np.random.default_rng(c.seed)
    train = make_signals(2000, c.seq_len, c.noise, rng); val = make_signals(300, c.seq_len, c.noise, rng)
    model = WaveNet(c)
    opt = torch.optim.Adam(model.parameters(), lr=c.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, c.steps)
    burn = 32  # ignore the first outputs whose receptive field is padded
    for step in range(c.steps):
        idx = torch.randint(0, len(train), (c.batch,))
        xb = train[idx]
        pred = model(xb[:, :, :-1])
        loss = F.mse_loss(pred[:, :, burn:], xb[:, :, 1 + burn:])
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step(); sched.step()
        if step % 50 == 0 or step == c.steps - 1:
            with torch.no_grad():
                vp = model(val[:, :, :-1]); vmse = F.mse_loss(vp[:, :, burn:], val[:, :, 1 + burn:]).item()
            print(f"step {step} train_mse {loss.item():.4f} val_mse {vmse:.4f}")
    tv = val[:, :, 1 + burn:].var().item()
    naive = F.mse_loss(val[:, :, burn:-1], val[:, :, 1 + burn:]).item()  # "repeat last value" baseline
    sat = gate_saturation(model, val[:64, :, :-1])
    print(f"gate saturation fraction {sat:.3f}")
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(vmse, 5), "train_mse": round(loss.item(), 5), "target_var": round(tv, 4),
                                         "naive_last_value_mse": round(naive, 5), "noise_var": round(c.noise ** 2, 5)}))


if __name__ == "__main__":
    main()
