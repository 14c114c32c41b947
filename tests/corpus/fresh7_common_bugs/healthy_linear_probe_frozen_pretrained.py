# expect:
# allow:
# forbid: *
# evidence: healthy; linear probe on a frozen in-script-pretrained backbone: val_acc 0.836 (majority 0.30), train_acc 0.841, val_loss 0.421
"""Linear probing: a backbone pre-trained in-script on a large related source task (8 classes,
6000 rows; stands in for a loaded checkpoint) is frozen on purpose (requires_grad=False) and
only a new linear head is trained on the small target task (4 coarse classes grouping the source concepts, 1200 rows) with
Adam(lr=3e-3), 20 epochs. Healthy twin of high_bias_frozen_random_backbone.py: here the frozen
features are pretrained, so freezing is the right call. Dataclass config.
"""
import json
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Cfg:
    pre_epochs: int = 10
    probe_epochs: int = 20
    probe_lr: float = 3e-3
    batch_size: int = 32


class Model(nn.Module):
    def __init__(self, d_in=32, n_cls=8):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(d_in, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                      nn.Linear(128, 64), nn.ReLU())
        self.head = nn.Linear(64, n_cls)

    def forward(self, x):
        return self.head(self.backbone(x))


def data(n, g, A, W):
    z = torch.randn(n, A.shape[0], generator=g)
    x = torch.tanh(z @ A / 6) * 2 + 0.1 * torch.randn(n, A.shape[1], generator=g)
    y = (z @ W + 0.3 * torch.randn(n, W.shape[1], generator=g)).argmax(1)
    return x, y


def train(model, params, lr, x, y, epochs, bs, tag, val=None):
    opt = torch.optim.Adam(params, lr=lr)
    for ep in range(epochs):
        perm = torch.randperm(len(x))
        tot = 0.0
        for i in range(0, len(x), bs):
            idx = perm[i:i + bs]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        msg = f"[{tag}] epoch {ep+1:2d} train_loss {tot/len(x):.4f}"
        if val is not None:
            with torch.no_grad():
                o = model(val[0])
                msg += f" val_loss {F.cross_entropy(o, val[1]).item():.4f} val_acc {(o.argmax(1) == val[1]).float().mean().item():.3f}"
        print(msg)


def main():
    cfg = Cfg()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(12)
    A = torch.randn(12, 32, generator=g)
    Ws = torch.randn(12, 8, generator=g)
    model = Model()
    xs, ys = data(6000, g, A, Ws)
    train(model, model.parameters(), 1e-3, xs, ys, cfg.pre_epochs, 64, "pretrain")

    # target task: 4 coarse categories, each grouping two of the source concepts
    xtr, ytr = data(1200, g, A, Ws)
    xva, yva = data(1000, g, A, Ws)
    ytr, yva = ytr // 2, yva // 2
    for p in model.backbone.parameters():
        p.requires_grad = False          # linear probe: backbone frozen on purpose
    model.head = nn.Linear(64, 4)
    train(model, model.head.parameters(), cfg.probe_lr, xtr, ytr, cfg.probe_epochs, cfg.batch_size, "probe",
          val=(xva, yva))
    with torch.no_grad():
        o = model(xva)
        vl, va = F.cross_entropy(o, yva).item(), (o.argmax(1) == yva).float().mean().item()
        ot = model(xtr)
        tl, ta = F.cross_entropy(ot, ytr).item(), (ot.argmax(1) == ytr).float().mean().item()
    chance = (torch.bincount(yva).max() / len(yva)).item()
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                         "train_acc": round(ta, 4), "chance_acc": round(chance, 4)}))


if __name__ == "__main__":
    main()
