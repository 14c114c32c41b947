"""Fine-tuning script whose config has freeze_backbone=True (meant for when a
pre-trained checkpoint is loaded). The checkpoint path does not exist, so loading
is skipped with a warning - but the freezing still happens. The result: a randomly
initialised, frozen conv backbone with a narrow 24-unit bottleneck (+LayerNorm) feeding
a trainable linear head. The model cannot even fit its training data.
--control sets freeze_backbone=False (still no checkpoint; nothing else changes).
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: control train_acc 1.000 / val_acc 0.991 / val_loss 0.020; planted train_acc 0.760 / val_acc 0.742 / train_loss 0.746 (chance 0.10) after the same 20 epochs, creeping (0.88 -> 0.75 over the last 10 epochs) with train ~= val (underfit, not variance); 97% of parameters frozen (printed)
# control: --control
import argparse
import json
import os
import random
import warnings
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


@dataclass
class Config:
    checkpoint: str = "/nonexistent/backbone_pretrained.pt"
    freeze_backbone: bool = True
    epochs: int = 20
    lr: float = 2e-2
    seed: int = 21


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 16, 3, padding=1),
                                  nn.ReLU(), nn.MaxPool2d(2))
        self.proj = nn.Linear(16 * 16, 24)
        self.norm = nn.LayerNorm(24)

    def forward(self, x):
        return F.relu(self.norm(self.proj(self.conv(x).flatten(1))))


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.head = nn.Linear(24, 10)

    def forward(self, x):
        return self.head(self.backbone(x))


def load_pretrained(model, path):
    if not os.path.exists(path):
        warnings.warn(f"checkpoint {path} not found - continuing with random backbone")
        return
    model.backbone.load_state_dict(torch.load(path))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    cfg = Config(freeze_backbone=not ap.parse_args().control)
    torch.set_num_threads(1)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0 - 0.3) / 0.4
    Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=cfg.seed, stratify=y)
    Xtr = torch.tensor(Xtr, dtype=torch.float32).view(-1, 1, 8, 8)
    Xva = torch.tensor(Xva, dtype=torch.float32).view(-1, 1, 8, 8)
    ytr, yva = torch.tensor(ytr), torch.tensor(yva)

    model = Model()
    load_pretrained(model, cfg.checkpoint)
    if cfg.freeze_backbone:
        for p in model.backbone.parameters():
            p.requires_grad = False
    n_all = sum(p.numel() for p in model.parameters())
    n_frozen = sum(p.numel() for p in model.parameters() if not p.requires_grad)
    print(f"frozen {n_frozen}/{n_all} parameters ({n_frozen / n_all:.2f})")
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=cfg.lr)
    for ep in range(cfg.epochs):
        model.train()
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if ep % 5 != 4:
            continue
        model.eval()
        with torch.no_grad():
            otr, ova = model(Xtr), model(Xva)
            tl = F.cross_entropy(otr, ytr).item()
            ta = (otr.argmax(1) == ytr).float().mean().item()
            vl = F.cross_entropy(ova, yva).item()
            va = (ova.argmax(1) == yva).float().mean().item()
        print(f"epoch {ep} train_loss {tl:.4f} train_acc {ta:.4f} val_loss {vl:.4f} val_acc {va:.4f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4),
                                        "train_acc": round(ta, 4), "chance_acc": 0.1}))


if __name__ == "__main__":
    main()
