# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.910 (chance 0.2), val_loss 0.261, no dead ReLUs
"""MLP on synthetic 16x16 grayscale "blob" images (5 classes: blob position quadrant/centre),
pixel values stored as uint8-like 0..255, trained with SGD(lr=0.01, momentum=0.9).

Healthy twin of unnormalized_inputs_raw_pixels_mlp.py: pixels are scaled by 1/255 and
standardised with the train-set mean/std before training; 4000 training images, 12 epochs.
"""
import json
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    n_train: int = 4000
    n_val: int = 1000
    side: int = 16
    hidden: int = 128
    lr: float = 0.01
    momentum: float = 0.9
    epochs: int = 12
    batch_size: int = 64
    normalize: bool = True
    seed: int = 0


def render(n, cfg, g):
    centres = torch.tensor([[4.0, 4.0], [4.0, 11.0], [11.0, 4.0], [11.0, 11.0], [7.5, 7.5]])
    y = torch.randint(0, 5, (n,), generator=g)
    c = centres[y] + 1.5 * torch.randn(n, 2, generator=g)
    ii = torch.arange(cfg.side).float()
    d2 = (ii.view(1, -1, 1) - c[:, 0].view(-1, 1, 1)) ** 2 + (ii.view(1, 1, -1) - c[:, 1].view(-1, 1, 1)) ** 2
    img = 200 * torch.exp(-d2 / 8.0) + 30 + 25 * torch.randn(n, cfg.side, cfg.side, generator=g)
    return img.clamp(0, 255).round().view(n, -1), y


def main():
    cfg = Config()
    torch.manual_seed(cfg.seed)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(7)
    xtr, ytr = render(cfg.n_train, cfg, g)
    xva, yva = render(cfg.n_val, cfg, g)
    if cfg.normalize:
        mean, std = (xtr / 255).mean(), (xtr / 255).std()
        xtr, xva = (xtr / 255 - mean) / std, (xva / 255 - mean) / std
    print(f"input range: [{xtr.min():.1f}, {xtr.max():.1f}], mean {xtr.mean():.2f}, std {xtr.std():.2f}")

    model = nn.Sequential(nn.Linear(cfg.side ** 2, cfg.hidden), nn.ReLU(),
                          nn.Linear(cfg.hidden, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 5))
    opt = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=cfg.momentum)
    for ep in range(cfg.epochs):
        perm = torch.randperm(cfg.n_train)
        losses = []
        for i in range(0, cfg.n_train, cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            if ep == 0 and i == 0:
                print(f"first-step grad norm layer0 {model[0].weight.grad.norm():.3e}")
            opt.step()
            losses.append(loss.item())
        with torch.no_grad():
            out = model(xva)
            vl = F.cross_entropy(out, yva).item()
            va = (out.argmax(1) == yva).float().mean().item()
        print(f"epoch {ep+1} train_loss {sum(losses)/len(losses):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    with torch.no_grad():
        tl = F.cross_entropy(model(xtr), ytr).item()
        h = model[1](model[0](xva))
        dead = (h.max(0).values <= 0).float().mean().item()
    print(f"probe: fraction of first-layer ReLUs never firing on val = {dead:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4),
                                         "train_loss": round(tl, 4), "chance_acc": 0.2}))


if __name__ == "__main__":
    main()
