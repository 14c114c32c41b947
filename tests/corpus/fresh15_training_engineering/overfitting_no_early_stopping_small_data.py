"""Small labelled tabular set (300 rows, 40 features, ~10% noisy labels) and a wide MLP trained for a fixed 70 epochs, no early stopping.

The Trainer supports an EarlyStopping callback but the experiment config left callbacks=[] ("we
always train the full budget"). Train loss goes to ~0 while val loss bottoms out early and then
climbs for ~60 epochs; the final (last-epoch) model is the one shipped.
--control: callbacks=[EarlyStopping(patience=8, restore_best=True)] (the only change).
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 3-class make_classification, 300 train rows (10% flipped labels), 256-wide MLP, Adam 1e-3, 70 epochs; planted (no early stopping): train_loss 0.0005, train_acc 1.0 while val_loss climbs from its minimum 0.80 (epoch 2) to 1.10 (ep 10), 1.77 (ep 30), 2.17 (ep 70), val_acc 0.637; control (EarlyStopping patience 8, restore best): stops at epoch 10, val_loss 0.802, val_acc 0.654, train_loss 0.60
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
import argparse, copy, csv, json, os, random, tempfile
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(13); np.random.seed(13); torch.manual_seed(13)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
ap = argparse.ArgumentParser(); ap.add_argument("--control", action="store_true"); args = ap.parse_args()


@dataclass
class ExperimentConfig:
    n_train: int = 300
    lr: float = 1e-3
    epochs: int = 70
    batch_size: int = 32
    callbacks: list = field(default_factory=list)


X, y = make_classification(n_samples=1300, n_features=40, n_informative=8, n_redundant=4, n_classes=3, n_clusters_per_class=2,
                           flip_y=0.1, class_sep=1.0, random_state=13)
Xtr, Xva, ytr, yva = train_test_split(X, y, train_size=300, test_size=1000, random_state=13, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)


class EarlyStopping:
    def __init__(self, patience, restore_best=True):
        self.patience, self.restore_best = patience, restore_best
        self.best, self.wait, self.state = float("inf"), 0, None

    def on_epoch_end(self, tr, logs):
        if logs["val_loss"] < self.best - 1e-4:
            self.best, self.wait = logs["val_loss"], 0
            self.state = copy.deepcopy(tr.model.state_dict())
        else:
            self.wait += 1
            if self.wait >= self.patience:
                tr.stop = True; print(f"early stop at epoch {tr.epoch}, best val_loss {self.best:.4f}")

    def on_fit_end(self, tr):
        if self.restore_best and self.state is not None:
            tr.model.load_state_dict(self.state)


class Trainer:
    def __init__(self, cfg):
        self.cfg = cfg
        self.model = nn.Sequential(nn.Linear(40, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cfg.lr)
        self.stop = False; self.epoch = 0
        self.f = open(os.path.join(LOG_DIR, "history.csv"), "w", newline=""); self.w = csv.writer(self.f)
        self.w.writerow(["epoch", "loss", "val_loss", "acc", "val_acc", "lr"])

    def metrics(self, Xs, ys):
        self.model.eval()
        with torch.no_grad():
            out = self.model(Xs); r = F.cross_entropy(out, ys).item(), (out.argmax(1) == ys).float().mean().item()
        self.model.train(); return r

    def fit(self):
        for self.epoch in range(self.cfg.epochs):
            perm = torch.randperm(len(Xtr))
            for i in range(0, len(perm), self.cfg.batch_size):
                j = perm[i:i + self.cfg.batch_size]
                loss = F.cross_entropy(self.model(Xtr[j]), ytr[j])
                self.opt.zero_grad(); loss.backward(); self.opt.step()
            (tl, ta), (vl, va) = self.metrics(Xtr, ytr), self.metrics(Xva, yva)
            self.w.writerow([self.epoch, f"{tl:.6f}", f"{vl:.6f}", f"{ta:.4f}", f"{va:.4f}", self.cfg.lr])
            if self.epoch % 10 == 0: print(f"epoch {self.epoch} loss {tl:.5f} val_loss {vl:.4f} val_acc {va:.4f}")
            for cb in self.cfg.callbacks: cb.on_epoch_end(self, {"val_loss": vl})
            if self.stop: break
        for cb in self.cfg.callbacks: cb.on_fit_end(self)
        self.f.close()


cfg = ExperimentConfig(callbacks=[EarlyStopping(patience=8, restore_best=True)] if args.control else [])
tr = Trainer(cfg); tr.fit()
(tl, ta), (vl, va) = tr.metrics(Xtr, ytr), tr.metrics(Xva, yva)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 6), "train_acc": round(ta, 4), "chance_acc": 0.3333, "epochs_run": tr.epoch + 1}))
