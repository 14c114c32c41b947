"""LR range test (fastai/leslie-smith style) run BEFORE the real training, then re-init and train.

The finder deliberately raises the lr exponentially until the loss blows up; the model is then
restored to its initial weights and trained properly with lr = (lr at min finder loss) / 10.
"""
# expect:
# allow:
# forbid: *
# evidence: finder stops at lr=1.1 with smoothed loss 6.22 (>4x its min 1.15 at lr=0.48), by design; the re-initialised real run (lr=0.048, SGD momentum) reaches val_acc 0.973, val_loss 0.103 (train_loss 0.003) on digits, chance 0.10
# native-log: train_log.csv
# log-expect:
# log-allow:
import copy, csv, json, math, os, random, tempfile
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(0); np.random.seed(0); torch.manual_seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)


@dataclass
class Config:
    batch_size: int = 64
    epochs: int = 15
    momentum: float = 0.9
    finder_start_lr: float = 1e-5
    finder_end_lr: float = 10.0
    finder_steps: int = 100


X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
cfg = Config()


def batches(shuffle=True):
    idx = torch.randperm(len(Xtr)) if shuffle else torch.arange(len(Xtr))
    for i in range(0, len(idx), cfg.batch_size):
        j = idx[i:i + cfg.batch_size]
        yield Xtr[j], ytr[j]


model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
init_state = copy.deepcopy(model.state_dict())


def lr_range_test(model):
    opt = torch.optim.SGD(model.parameters(), lr=cfg.finder_start_lr, momentum=cfg.momentum)
    mult = (cfg.finder_end_lr / cfg.finder_start_lr) ** (1 / cfg.finder_steps)
    lrs, losses, best, avg = [], [], float("inf"), 0.0
    step = 0
    while step < cfg.finder_steps:
        for xb, yb in batches():
            lr = cfg.finder_start_lr * mult ** step
            for g in opt.param_groups:
                g["lr"] = lr
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(); loss.backward(); opt.step()
            avg = 0.9 * avg + 0.1 * loss.item()
            smooth = avg / (1 - 0.9 ** (step + 1))
            lrs.append(lr); losses.append(smooth)
            best = min(best, smooth)
            step += 1
            if not math.isfinite(smooth) or smooth > 4 * best or step >= cfg.finder_steps:
                return lrs, losses
    return lrs, losses


lrs, losses = lr_range_test(model)
with open(os.path.join(LOG_DIR, "lr_finder.csv"), "w", newline="") as f:
    w = csv.writer(f); w.writerow(["lr", "smoothed_loss"]); w.writerows(zip(lrs, losses))
best_i = int(np.argmin(losses))
chosen_lr = lrs[best_i] / 10
print(f"lr finder: stopped at lr={lrs[-1]:.3g} loss={losses[-1]:.3g}; min loss {losses[best_i]:.3g} at lr={lrs[best_i]:.3g} -> using lr={chosen_lr:.3g}")

# ---- real training: restore initial weights, fresh optimizer ----
model.load_state_dict(init_state)


class CSVLogger:
    def __init__(self, path):
        self.f = open(path, "w", newline=""); self.w = csv.writer(self.f)
        self.w.writerow(["step", "epoch", "loss", "val_loss", "val_acc", "lr"])

    def on_step(self, tr, loss):
        self.w.writerow([tr.step, tr.epoch, f"{loss:.5f}", "", "", tr.opt.param_groups[0]["lr"]])

    def on_epoch_end(self, tr, vl, va):
        self.w.writerow([tr.step, tr.epoch, "", f"{vl:.5f}", f"{va:.4f}", tr.opt.param_groups[0]["lr"]])
        self.f.flush()


class Trainer:
    def __init__(self, model, lr, callbacks):
        self.model, self.callbacks = model, callbacks
        self.opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=cfg.momentum)
        self.step, self.epoch = 0, 0

    def evaluate(self):
        self.model.eval()
        with torch.no_grad():
            out = self.model(Xva)
            vl = F.cross_entropy(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        self.model.train()
        return vl, va

    def fit(self):
        for self.epoch in range(cfg.epochs):
            for xb, yb in batches():
                loss = F.cross_entropy(self.model(xb), yb)
                self.opt.zero_grad(); loss.backward(); self.opt.step()
                self.step += 1
                for cb in self.callbacks: cb.on_step(self, loss.item())
            vl, va = self.evaluate()
            for cb in self.callbacks: cb.on_epoch_end(self, vl, va)
            print(f"epoch {self.epoch} val_loss {vl:.4f} val_acc {va:.4f}")
        return vl, va


tr = Trainer(model, chosen_lr, [CSVLogger(os.path.join(LOG_DIR, "train_log.csv"))])
vl, va = tr.fit()
with torch.no_grad():
    trl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(trl, 4),
                                     "chance_acc": 0.1, "chosen_lr": chosen_lr}))
