# expect:
# allow:
# forbid: *
# evidence: next-sample val_mse 0.053 on standardised signal (target variance 1.15, persistence baseline 0.113); train_mse 0.046
"""WaveNet-style stack of dilated causal convolutions (gated tanh*sigmoid units, residual + skip)
predicting the next sample of a noisy multi-tone signal."""
import json
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(21)
rng = np.random.default_rng(21)

RF_LAYERS = [1, 2, 4, 8, 16, 1, 2, 4, 8, 16]
WIN = 128
BATCH = 16
EPOCHS = 4


def synth(n_series, length):
    t = np.arange(length)
    out = []
    for _ in range(n_series):
        x = np.zeros(length)
        for _ in range(3):
            f = rng.uniform(0.01, 0.08)
            x += rng.uniform(0.3, 1.0) * np.sin(2 * math.pi * f * t + rng.uniform(0, 2 * math.pi))
        x += 0.1 * rng.standard_normal(length)
        out.append(x)
    return np.stack(out).astype(np.float32)


train_sig = synth(24, 1024)
val_sig = synth(8, 1024)
mu, sd = train_sig.mean(), train_sig.std()
train_sig, val_sig = (train_sig - mu) / sd, (val_sig - mu) / sd


def windows(sig):
    xs = []
    for s in sig:
        for i in range(0, len(s) - WIN - 1, WIN // 2):
            xs.append(s[i:i + WIN + 1])
    return torch.tensor(np.stack(xs))


train_w, val_w = windows(train_sig), windows(val_sig)


class ResidualBlock(nn.Module):
    def __init__(self, ch, dilation):
        super().__init__()
        self.dilation = dilation
        self.filt = nn.Conv1d(ch, ch, 2, dilation=dilation)
        self.gate = nn.Conv1d(ch, ch, 2, dilation=dilation)
        self.res = nn.Conv1d(ch, ch, 1)
        self.skip = nn.Conv1d(ch, ch, 1)

    def forward(self, x):
        xp = F.pad(x, (self.dilation, 0))           # causal: pad on the left only
        z = torch.tanh(self.filt(xp)) * torch.sigmoid(self.gate(xp))
        return x + self.res(z), self.skip(z)


class WaveNet(nn.Module):
    def __init__(self, ch=16):
        super().__init__()
        self.inp = nn.Conv1d(1, ch, 1)
        self.blocks = nn.ModuleList([ResidualBlock(ch, d) for d in RF_LAYERS])
        self.out = nn.Sequential(nn.ReLU(), nn.Conv1d(ch, ch, 1), nn.ReLU(), nn.Conv1d(ch, 1, 1))

    def forward(self, x):  # x: (B, T)
        h = self.inp(x.unsqueeze(1))
        skips = 0
        for b in self.blocks:
            h, s = b(h)
            skips = skips + s
        return self.out(skips).squeeze(1)


net = WaveNet()
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
n_batches = math.ceil(len(train_w) / BATCH)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS * n_batches)
burn = 32  # ignore the first samples whose receptive field is mostly padding


def mse_on(w):
    with torch.no_grad():
        pred = net(w[:, :-1])
        return F.mse_loss(pred[:, burn:], w[:, 1:][:, burn:]).item()


for ep in range(EPOCHS):
    perm = torch.randperm(len(train_w))
    tot = 0.0
    for i in range(n_batches):
        w = train_w[perm[i * BATCH:(i + 1) * BATCH]]
        pred = net(w[:, :-1])
        loss = F.mse_loss(pred[:, burn:], w[:, 1:][:, burn:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        tot += loss.item()
    print(f"epoch {ep}  train_mse {tot / n_batches:.4f}  val_mse {mse_on(val_w):.4f}")

val_mse = mse_on(val_w)
persistence = F.mse_loss(val_w[:, burn:-1], val_w[:, burn + 1:]).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "train_mse": round(mse_on(train_w), 5),
                                     "target_var": round(val_w[:, burn + 1:].var().item(), 4),
                                     "persistence_mse": round(persistence, 5)}))
