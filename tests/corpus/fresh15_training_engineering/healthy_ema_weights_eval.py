"""EMA of the weights (timm ModelEmaV2 style) is evaluated instead of the raw model.

Raw model trained with dropout and a fairly high Adam lr: its per-epoch val metric jitters; the
EMA copy is smoother and evaluates better. Both are reported.
"""
# expect:
# allow:
# forbid: *
# evidence: breast_cancer MLP+dropout, AdamW lr 1e-3, EMA decay 0.98 evaluated: EMA val_loss 0.104 (raw 0.108), EMA val_acc 0.959 (raw 0.965; majority-class 0.626), train_loss 0.050; val loss flat over the last 6 epochs (0.106-0.104)
import copy, json, random
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(2); np.random.seed(2); torch.manual_seed(2)


@dataclass
class Config:
    lr: float = 1e-3
    batch_size: int = 32
    epochs: int = 15
    ema_decay: float = 0.98
    dropout: float = 0.3


cfg = Config()
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=2, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32); yva = torch.tensor(yva, dtype=torch.float32)


class ModelEma:
    def __init__(self, model, decay):
        self.module = copy.deepcopy(model).eval(); self.decay = decay
        for p in self.module.parameters(): p.requires_grad_(False)

    @torch.no_grad()
    def update(self, model):
        for e, m in zip(self.module.state_dict().values(), model.state_dict().values()):
            if e.dtype.is_floating_point:
                e.mul_(self.decay).add_(m.detach(), alpha=1 - self.decay)
            else:
                e.copy_(m)


class EmaCallback:
    def __init__(self, decay): self.decay = decay; self.ema = None
    def on_fit_start(self, tr): self.ema = ModelEma(tr.model, self.decay)
    def on_step_end(self, tr): self.ema.update(tr.model)


class Trainer:
    def __init__(self, model, cfg, callbacks):
        self.model, self.cfg, self.callbacks = model, cfg, callbacks
        self.opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.05)

    @staticmethod
    def evaluate(net):
        was = net.training; net.eval()
        with torch.no_grad():
            logit = net(Xva).squeeze(1)
            r = F.binary_cross_entropy_with_logits(logit, yva).item(), ((logit > 0).float() == yva).float().mean().item()
        net.train(was); return r

    def fit(self):
        for cb in self.callbacks: cb.on_fit_start(self)
        for epoch in range(self.cfg.epochs):
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(perm), self.cfg.batch_size):
                j = perm[i:i + self.cfg.batch_size]
                loss = F.binary_cross_entropy_with_logits(self.model(Xtr[j]).squeeze(1), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step()
                for cb in self.callbacks: cb.on_step_end(self)
            if epoch % 3 == 2:
                raw = self.evaluate(self.model); ema = self.evaluate(self.callbacks[0].ema.module)
                print(f"epoch {epoch} raw val_loss {raw[0]:.4f} acc {raw[1]:.4f} | ema val_loss {ema[0]:.4f} acc {ema[1]:.4f}")
        return raw, ema


model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(cfg.dropout), nn.Linear(64, 64), nn.ReLU(), nn.Dropout(cfg.dropout), nn.Linear(64, 1))
ema_cb = EmaCallback(cfg.ema_decay)
tr = Trainer(model, cfg, [ema_cb])
raw, ema = tr.fit()
emam = ema_cb.ema.module
with torch.no_grad():
    trl = F.binary_cross_entropy_with_logits(emam(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ema[0], 4), "val_acc": round(ema[1], 4), "train_loss": round(trl, 4),
                                     "raw_val_loss": round(raw[0], 4), "raw_val_acc": round(raw[1], 4), "chance_acc": round(max(yva.mean().item(), 1 - yva.mean().item()), 4)}))
