# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control (backbone trainable) val_acc 0.814, train_acc 0.93; planted (random backbone frozen, 68 trainable params) train_acc 0.34 / train_loss 1.333 (ln4=1.386), val_acc 0.316 = majority rate
# control: --control
"""4-class classification of 32 tabular features generated from a 12-d latent (1200 train rows),
network = 3-layer MLP "backbone" + linear head, Adam(lr=1e-3), 15 epochs, dataclass config.

Planted bug: the script was copied from a fine-tuning recipe and still runs
`for p in model.backbone.parameters(): p.requires_grad = False`, but here NO checkpoint is loaded:
the backbone stays at its random init and only the 16->4 linear head learns on random features,
far too little capacity for the task. `--control` leaves the backbone trainable.
"""
import json
import sys
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Cfg:
    lr: float = 1e-3
    epochs: int = 15
    batch_size: int = 32
    freeze_backbone: bool = True   # BUG: left over from a fine-tuning script


class Model(nn.Module):
    def __init__(self, d_in=32, n_cls=4):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(d_in, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                      nn.Linear(64, 16), nn.ReLU())
        self.head = nn.Linear(16, n_cls)

    def forward(self, x):
        return self.head(self.backbone(x))


def data(n, g, A, W):
    z = torch.randn(n, A.shape[0], generator=g)
    x = torch.tanh(z @ A / 3) * 2 + 0.2 * torch.randn(n, A.shape[1], generator=g)
    y = (z @ W + 0.3 * torch.randn(n, W.shape[1], generator=g)).argmax(1)
    return x, y


def main():
    cfg = Cfg(freeze_backbone="--control" not in sys.argv)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(12)
    A, W = torch.randn(12, 32, generator=g), torch.randn(12, 4, generator=g)
    xtr, ytr = data(1200, g, A, W)
    xva, yva = data(1000, g, A, W)
    model = Model()
    if cfg.freeze_backbone:
        for p in model.backbone.parameters():
            p.requires_grad = False
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"trainable parameters: {trainable} of {sum(p.numel() for p in model.parameters())}")
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=cfg.lr)
    for ep in range(cfg.epochs):
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), cfg.batch_size):
            idx = perm[i:i + cfg.batch_size]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        with torch.no_grad():
            o = model(xva)
            vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
        print(f"epoch {ep+1:2d} train_loss {tot/len(xtr):.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    with torch.no_grad():
        o = model(xtr)
        tl, ta = F.cross_entropy(o, ytr).item(), (o.argmax(1) == ytr).float().mean().item()
    chance = (torch.bincount(yva).max() / len(yva)).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
