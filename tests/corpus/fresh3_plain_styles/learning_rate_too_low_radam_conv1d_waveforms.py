# expect: learning_rate_too_low
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (RAdam lr=2e-5): train loss 1.387 -> 1.375 in 12 epochs, val_acc 0.401, val_loss 1.378 (chance 0.25); control (lr=2e-3): val_acc 0.943, val_loss 0.162
# control: --control
"""A small 1-D CNN classifying noisy synthetic waveforms (sine / square / sawtooth / chirp) with
RAdam. The optimiser line was copied from the team's transformer fine-tuning script, lr=2e-5,
while this model is trained from scratch. The loss creeps down steadily but the run ends far
from where it should be. --control uses lr=2e-3 (the usual from-scratch Adam-family value);
nothing else changes.
"""
import argparse
import json
import math

import torch
from torch import nn
from torch.nn import functional as F


def waveforms(n, g, length=96):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, length)
    f = 2 + 4 * torch.rand(n, 1, generator=g)
    ph = 2 * math.pi * torch.rand(n, 1, generator=g)
    arg = 2 * math.pi * f * t + ph
    sine = torch.sin(arg)
    square = torch.sign(torch.sin(arg))
    saw = 2 * ((arg / (2 * math.pi)) % 1.0) - 1
    chirp = torch.sin(2 * math.pi * (f * t + 3 * t ** 2) + ph)
    x = torch.stack([sine, square, saw, chirp], 1)[torch.arange(n), y]
    x = x + 0.6 * torch.randn(n, length, generator=g)
    return x.unsqueeze(1), y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = waveforms(2000, g)
    xva, yva = waveforms(800, g)
    model = nn.Sequential(
        nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
        nn.Flatten(), nn.Linear(32, 4),
    )
    lr = 2e-3 if args.control else 2e-5
    opt = torch.optim.RAdam(model.parameters(), lr=lr)
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        print(f"epoch {epoch} train_loss {tot / len(xtr):.4f} val_loss {F.cross_entropy(lv, yva).item():.4f} "
              f"val_acc {(lv.argmax(1) == yva).float().mean().item():.4f}")
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "chance_acc": 0.25,
    }))


if __name__ == "__main__":
    main()
