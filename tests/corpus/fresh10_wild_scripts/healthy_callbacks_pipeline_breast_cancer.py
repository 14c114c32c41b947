# sklearn Pipeline (median imputer + Yeo-Johnson power transform + standard scaling) feeding a torch MLP, trained by a small
# class-based trainer with callbacks (history, ReduceLROnPlateau, early stopping w/ best restore).
# expect:
# allow:
# forbid: *
# evidence: healthy; early stopping (patience 6, best restored) at epoch 24: val_acc 0.965 (majority 0.626), val_loss 0.085, train_loss 0.053
import copy, json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler, PowerTransformer


class Callback:
    def on_epoch_end(self, trainer, logs): pass


class History(Callback):
    def __init__(self): self.rows = []
    def on_epoch_end(self, trainer, logs):
        self.rows.append(dict(logs)); print(" ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in logs.items()))


class PlateauLR(Callback):
    def __init__(self, opt): self.s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    def on_epoch_end(self, trainer, logs): self.s.step(logs["val_loss"])


class EarlyStopping(Callback):
    def __init__(self, patience=6): self.p, self.best, self.wait, self.state = patience, float("inf"), 0, None
    def on_epoch_end(self, trainer, logs):
        if logs["val_loss"] < self.best - 1e-4:
            self.best, self.wait, self.state = logs["val_loss"], 0, copy.deepcopy(trainer.model.state_dict())
        else:
            self.wait += 1
            if self.wait >= self.p:
                trainer.stop = True
    def restore(self, trainer):
        if self.state is not None: trainer.model.load_state_dict(self.state)


class Trainer:
    def __init__(self, model, opt, loss_fn, callbacks):
        self.model, self.opt, self.loss_fn, self.callbacks, self.stop = model, opt, loss_fn, callbacks, False

    def fit(self, Xtr, ytr, Xva, yva, epochs, bs):
        for ep in range(epochs):
            self.model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
            for i in range(0, len(perm), bs):
                b = perm[i:i + bs]
                loss = self.loss_fn(self.model(Xtr[b]).squeeze(1), ytr[b])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); tot += loss.item() * len(b)
            vl, va = self.evaluate(Xva, yva)
            logs = {"epoch": ep, "loss": tot / len(Xtr), "val_loss": vl, "val_acc": va, "lr": self.opt.param_groups[0]["lr"]}
            for cb in self.callbacks: cb.on_epoch_end(self, logs)
            if self.stop:
                print(f"early stop at epoch {ep}"); break

    @torch.no_grad()
    def evaluate(self, X, y):
        self.model.eval(); o = self.model(X).squeeze(1)
        return self.loss_fn(o, y).item(), ((o > 0).float() == y).float().mean().item()


torch.set_num_threads(1); torch.manual_seed(1); np.random.seed(1)
X, y = load_breast_cancer(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=1, stratify=y)
pre = Pipeline([("impute", SimpleImputer(strategy="median")), ("power", PowerTransformer()), ("scale", StandardScaler())])
Xtr, Xva = pre.fit_transform(Xtr), pre.transform(Xva)
T = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva, ytr, yva = T(Xtr), T(Xva), T(ytr), T(yva)
model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
es = EarlyStopping()
tr = Trainer(model, opt, nn.BCEWithLogitsLoss(), [History(), PlateauLR(opt), es])
tr.fit(Xtr, ytr, Xva, yva, epochs=80, bs=32)
es.restore(tr)
vl, va = tr.evaluate(Xva, yva); tl, ta = tr.evaluate(Xtr, ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "train_acc": round(ta, 4), "majority_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4), "chance_acc": 0.5}))
