"""Early stopping on val loss with patience + restore of the best checkpoint (from disk).

1D-CNN on a synthetic sequence task (classify which of 4 motifs is embedded in a noisy signal).
ModelCheckpoint callback writes best.pt; EarlyStopping stops after `patience` epochs without
improvement and the Trainer reloads best.pt before the final evaluation. JSON-lines history.
The last few logged val losses are above the best one - by construction of early stopping.
"""
# expect:
# allow:
# forbid: *
# evidence: synthetic motif-in-noise sequences (4 classes), 1D-CNN Adam 2e-3; val_loss best 0.052 at epoch 14, then 4 epochs without improvement (0.054-0.059), early stop at epoch 18, best restored: val_loss 0.052, val_acc 0.979 (chance 0.25), train_loss 0.026, train_acc 0.993
# native-log: history.jsonl
# log-expect:
# log-allow:
import json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
random.seed(17); np.random.seed(17); torch.manual_seed(17)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
CKPT = os.path.join(tempfile.mkdtemp(), "best.pt")


@dataclass
class Config:
    lr: float = 2e-3
    max_epochs: int = 60
    patience: int = 4
    batch_size: int = 64
    seq_len: int = 64


cfg = Config()
rng = np.random.default_rng(17)
motifs = rng.normal(size=(4, 9)).astype(np.float32)


def make_set(n):
    x = rng.normal(scale=1.0, size=(n, cfg.seq_len)).astype(np.float32); y = rng.integers(0, 4, size=n)
    pos = rng.integers(0, cfg.seq_len - 9, size=n)
    for i in range(n): x[i, pos[i]:pos[i] + 9] += 1.6 * motifs[y[i]]
    return torch.tensor(x)[:, None, :], torch.tensor(y)


Xtr, ytr = make_set(2000); Xva, yva = make_set(800)


class Callback:
    def on_epoch_end(self, tr, logs): pass


class JsonHistory(Callback):
    def __init__(self, path): self.f = open(path, "w")
    def on_epoch_end(self, tr, logs): self.f.write(json.dumps(logs) + "\n"); self.f.flush()


class ModelCheckpoint(Callback):
    def __init__(self, path): self.path, self.best = path, float("inf")
    def on_epoch_end(self, tr, logs):
        if logs["val_loss"] < self.best:
            self.best = logs["val_loss"]; torch.save({"model": tr.model.state_dict(), "epoch": logs["epoch"]}, self.path)


class EarlyStopping(Callback):
    def __init__(self, patience): self.patience, self.best, self.wait = patience, float("inf"), 0
    def on_epoch_end(self, tr, logs):
        if logs["val_loss"] < self.best - 1e-4: self.best, self.wait = logs["val_loss"], 0
        else:
            self.wait += 1
            if self.wait >= self.patience: tr.should_stop = True


class Trainer:
    def __init__(self, model, callbacks):
        self.model, self.callbacks = model, callbacks
        self.opt = torch.optim.Adam(model.parameters(), lr=cfg.lr); self.should_stop = False

    def eval_on(self, X, y):
        self.model.eval()
        with torch.no_grad():
            out = self.model(X); r = F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()
        self.model.train(); return r

    def fit(self):
        step = 0
        for epoch in range(cfg.max_epochs):
            perm = torch.randperm(len(Xtr)); tot = 0.0
            for i in range(0, len(perm), cfg.batch_size):
                j = perm[i:i + cfg.batch_size]
                loss = F.cross_entropy(self.model(Xtr[j]), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); step += 1; tot += loss.item() * len(j)
            vl, va = self.eval_on(Xva, yva)
            logs = {"epoch": epoch, "step": step, "loss": round(tot / len(Xtr), 5), "val_loss": round(vl, 5), "val_acc": round(va, 4), "lr": cfg.lr}
            print(logs)
            for cb in self.callbacks: cb.on_epoch_end(self, logs)
            if self.should_stop: print(f"early stopping at epoch {epoch}"); break
        ck = torch.load(CKPT); self.model.load_state_dict(ck["model"]); print(f"restored best checkpoint from epoch {ck['epoch']}")


model = nn.Sequential(nn.Conv1d(1, 32, 9, padding=4), nn.ReLU(), nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(),
                      nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 4))
tr = Trainer(model, [JsonHistory(os.path.join(LOG_DIR, "history.jsonl")), ModelCheckpoint(CKPT), EarlyStopping(cfg.patience)])
tr.fit()
vl, va = tr.eval_on(Xva, yva); tl, ta = tr.eval_on(Xtr, ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "chance_acc": 0.25}))
