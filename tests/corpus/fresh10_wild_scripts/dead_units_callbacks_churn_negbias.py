# Churn MLP trained by a tiny callback-based trainer. A "sparse activations" init helper copied from
# a blog sets every hidden bias to -4.0; with standardised inputs almost no ReLU ever fires.
# expect: dead_units
# allow: non_convergence, high_bias, poor_initialization, vanishing_gradients
# forbid: *
# evidence: hidden biases = -4: probe finds 33% (layer 1) and 100% (layer 2) of ReLU units never firing on validation; val_acc 0.542 = majority 0.542, val_loss 0.691, train_loss 0.693; --control (bias 0) 0% dead, val_acc 0.891, val_loss 0.252
# control: --control
import sys, json
import numpy as np
import torch
import torch.nn as nn

BIAS_INIT = 0.0 if "--control" in sys.argv else -4.0
torch.set_num_threads(1); torch.manual_seed(0)
rng = np.random.default_rng(1)
n = 5000
X = rng.normal(size=(n, 12)).astype(np.float32)
w = rng.normal(size=12)
z = X @ w * 0.8 + 0.9 * X[:, 0] * X[:, 1] - 0.7 * np.abs(X[:, 2]) + 0.4
y = (rng.random(n) < 1 / (1 + np.exp(-2 * z))).astype(np.int64)
Xtr, ytr, Xva, yva = map(torch.tensor, (X[:4000], y[:4000], X[4000:], y[4000:]))


def sparse_init(m):
    if isinstance(m, nn.Linear) and m.out_features > 2:
        nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, BIAS_INIT)


class PrintLogger:
    def on_epoch_end(self, t, logs): print("  ".join(f"{k}: {v:.4f}" if isinstance(v, float) else f"{k}: {v}" for k, v in logs.items()))


class DeadUnitProbe:
    """fraction of hidden ReLU units that output 0 for every validation example"""
    def __init__(self): self.frac = None
    def on_epoch_end(self, t, logs):
        with torch.no_grad():
            h, fr = Xva, []
            for m in t.model:
                h = m(h)
                if isinstance(m, nn.ReLU): fr.append((h.amax(0) <= 0).float().mean().item())
        self.frac = fr; logs["dead_frac"] = float(np.mean(fr))


class Trainer:
    def __init__(self, model, callbacks, lr=1e-3, epochs=15, bs=64):
        self.model, self.cbs, self.epochs, self.bs = model, callbacks, epochs, bs
        self.opt = torch.optim.Adam(model.parameters(), lr=lr); self.crit = nn.CrossEntropyLoss()

    def fit(self):
        for ep in range(self.epochs):
            self.model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
            for i in range(0, len(perm), self.bs):
                b = perm[i:i + self.bs]
                loss = self.crit(self.model(Xtr[b]), ytr[b])
                self.opt.zero_grad(); loss.backward(); self.opt.step(); tot += loss.item() * len(b)
            self.model.eval()
            with torch.no_grad():
                o = self.model(Xva); vl = self.crit(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
            logs = {"epoch": ep, "loss": tot / len(Xtr), "val_loss": vl, "val_acc": va}
            for cb in self.cbs: cb.on_epoch_end(self, logs)
            self.last = logs


model = nn.Sequential(nn.Linear(12, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 2))
model.apply(sparse_init)
probe = DeadUnitProbe()
tr = Trainer(model, [probe, PrintLogger()])
tr.fit()
with torch.no_grad():
    tl = tr.crit(model(Xtr), ytr).item()
L = tr.last
print("CORPUS_METRIC " + json.dumps({"val_loss": round(L["val_loss"], 4), "val_acc": round(L["val_acc"], 4), "train_loss": round(tl, 4),
                                     "dead_frac_per_layer": [round(f, 3) for f in probe.frac], "majority_acc": round(float(max(yva.float().mean(), 1 - yva.float().mean())), 4), "chance_acc": 0.5}))
