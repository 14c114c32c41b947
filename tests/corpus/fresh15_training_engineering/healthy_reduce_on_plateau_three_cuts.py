"""Regression (Friedman #1) with Adam + ReduceLROnPlateau on val loss; the lr gets cut three times.

Trainer with a callbacks list (CSV logger, plateau scheduler callback, best-checkpoint saver).
The val curve flattens between cuts and drops after each one: healthy.
"""
# expect:
# allow:
# forbid: *
# evidence: Friedman1 regression (standardised target, var 1.0), Adam 1e-2, ReduceLROnPlateau cuts the lr 3 times (1e-2 -> 2.7e-4); best-checkpoint val_mse 0.0122 vs target var 1.0 and noise floor 0.0099, train_mse 0.0095
# native-log: metrics.csv
# log-expect:
# log-allow:
import csv, json, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
random.seed(4); np.random.seed(4); torch.manual_seed(4)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


@dataclass
class Config:
    lr: float = 1e-2
    epochs: int = 28
    batch_size: int = 64
    plateau_factor: float = 0.3
    plateau_patience: int = 2


cfg = Config()
X, y = make_friedman1(n_samples=2000, n_features=10, noise=0.5, random_state=4)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4)
ym, ys = ytr.mean(), ytr.std()
Xtr = torch.tensor((Xtr - 0.5) / 0.29, dtype=torch.float32); Xva = torch.tensor((Xva - 0.5) / 0.29, dtype=torch.float32)
ytr = torch.tensor((ytr - ym) / ys, dtype=torch.float32); yva = torch.tensor((yva - ym) / ys, dtype=torch.float32)
noise_var = (0.5 / ys) ** 2


class Callback:
    def on_epoch_end(self, tr, logs): pass
    def on_step_end(self, tr, loss): pass


class CSVLogger(Callback):
    def __init__(self, path):
        self.f = open(path, "w", newline=""); self.w = csv.writer(self.f)
        self.w.writerow(["step", "epoch", "loss", "val_loss", "lr"])
    def on_step_end(self, tr, loss):
        if tr.step % 5 == 0:
            self.w.writerow([tr.step, tr.epoch, f"{loss:.5f}", "", tr.opt.param_groups[0]["lr"]])
    def on_epoch_end(self, tr, logs):
        self.w.writerow([tr.step, tr.epoch, f"{logs['train_loss']:.5f}", f"{logs['val_loss']:.5f}", tr.opt.param_groups[0]["lr"]]); self.f.flush()


class PlateauLR(Callback):
    def __init__(self, opt):
        self.s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=cfg.plateau_factor, patience=cfg.plateau_patience, threshold=1e-3)
        self.cuts = 0
    def on_epoch_end(self, tr, logs):
        before = tr.opt.param_groups[0]["lr"]; self.s.step(logs["val_loss"])
        if tr.opt.param_groups[0]["lr"] < before:
            self.cuts += 1; print(f"  lr cut #{self.cuts}: {before:.2e} -> {tr.opt.param_groups[0]['lr']:.2e}")


class BestCheckpoint(Callback):
    def __init__(self): self.best = float("inf"); self.state = None
    def on_epoch_end(self, tr, logs):
        if logs["val_loss"] < self.best:
            self.best = logs["val_loss"]; self.state = {k: v.clone() for k, v in tr.model.state_dict().items()}


class Trainer:
    def __init__(self, model, opt, callbacks):
        self.model, self.opt, self.callbacks = model, opt, callbacks
        self.step = 0; self.epoch = 0

    def fit(self):
        for self.epoch in range(cfg.epochs):
            perm = torch.randperm(len(Xtr)); tot = 0.0
            for i in range(0, len(perm), cfg.batch_size):
                j = perm[i:i + cfg.batch_size]
                loss = F.mse_loss(self.model(Xtr[j]).squeeze(1), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); self.step += 1
                tot += loss.item() * len(j)
                for cb in self.callbacks: cb.on_step_end(self, loss.item())
            with torch.no_grad():
                vl = F.mse_loss(self.model(Xva).squeeze(1), yva).item()
            logs = {"train_loss": tot / len(Xtr), "val_loss": vl}
            for cb in self.callbacks: cb.on_epoch_end(self, logs)
            if self.epoch % 5 == 4: print(f"epoch {self.epoch} train {logs['train_loss']:.4f} val {vl:.4f}")


model = nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
plateau = PlateauLR(opt); best = BestCheckpoint()
Trainer(model, opt, [CSVLogger(os.path.join(LOG_DIR, "metrics.csv")), plateau, best]).fit()
model.load_state_dict(best.state)
with torch.no_grad():
    vl = F.mse_loss(model(Xva).squeeze(1), yva).item(); trl = F.mse_loss(model(Xtr).squeeze(1), ytr).item()
print(f"lr cuts: {plateau.cuts}; best val_mse {vl:.4f} (target var 1.0, noise floor {noise_var:.4f})")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vl, 4), "target_var": 1.0, "train_mse": round(trl, 4),
                                     "noise_floor_mse": round(noise_var, 4), "lr_cuts": plateau.cuts, "final_lr": opt.param_groups[0]["lr"]}))
