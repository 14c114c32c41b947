"""Warm start done wrong: the optimizer is built over a model object that is then REPLACED.

The Trainer builds model + optimizer in __init__, then a 'warm start' callback replaces
trainer.model by torch.load() of a whole pickled model from a short pre-training stage. The
optimizer still holds the parameters of the discarded object: backward() fills grads on the new
model, the optimizer steps params that have no grad -> nothing is ever updated.
--control: the warm-start loads the state_dict into the existing model instead (same weights).
"""
# expect: non_convergence
# allow: high_bias
# forbid: *
# evidence: wine (3 classes) MLP, Adam 3e-3, 30 epochs; planted (optimizer holds the replaced model's params): loss frozen, val_loss 1.135 every epoch, val_acc 0.204, train_acc 0.258 (majority 0.389); control (state_dict loaded into the same object): val_loss 0.087, val_acc 0.982, train_acc 1.0
# control: --control
import argparse, json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(8); np.random.seed(8); torch.manual_seed(8)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()
TMP = tempfile.mkdtemp()


@dataclass
class Config:
    lr: float = 3e-3
    epochs: int = 30
    batch_size: int = 16
    pretrain_path: str = os.path.join(TMP, "stage1_model.pt")


cfg = Config()
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=8, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


def build_model():
    return nn.Sequential(nn.Linear(13, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 3))


# stage 1 ("pre-training" on a tiny labelled subset for 3 steps) saved as a whole pickled module
stage1 = build_model(); o1 = torch.optim.SGD(stage1.parameters(), lr=1e-3)
for _ in range(3):
    l = F.cross_entropy(stage1(Xtr[:16]), ytr[:16]); o1.zero_grad(); l.backward(); o1.step()
torch.save(stage1, cfg.pretrain_path)


class WarmStart:
    def on_fit_start(self, tr):
        if args.control:
            tr.model.load_state_dict(torch.load(cfg.pretrain_path, weights_only=False).state_dict())
        else:
            tr.model = torch.load(cfg.pretrain_path, weights_only=False)   # new object; optimizer keeps the old params


class Trainer:
    def __init__(self, cfg, callbacks):
        self.cfg, self.callbacks = cfg, callbacks
        self.model = build_model()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cfg.lr)

    def evaluate(self):
        self.model.eval()
        with torch.no_grad():
            out = self.model(Xva); r = F.cross_entropy(out, yva).item(), (out.argmax(1) == yva).float().mean().item()
        self.model.train(); return r

    def fit(self):
        for cb in self.callbacks: cb.on_fit_start(self)
        for epoch in range(self.cfg.epochs):
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(perm), self.cfg.batch_size):
                j = perm[i:i + self.cfg.batch_size]
                loss = F.cross_entropy(self.model(Xtr[j]), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step()
            if epoch % 5 == 4:
                vl, va = self.evaluate(); print(f"epoch {epoch} loss {loss.item():.4f} val_loss {vl:.4f} val_acc {va:.4f}")
        return self.evaluate()


tr = Trainer(cfg, [WarmStart()])
vl, va = tr.fit()
with torch.no_grad():
    out = tr.model(Xtr); trl = F.cross_entropy(out, ytr).item(); tra = (out.argmax(1) == ytr).float().mean().item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4), "train_acc": round(tra, 4),
                                     "chance_acc": round(np.bincount(yva.numpy()).max() / len(yva), 4)}))
