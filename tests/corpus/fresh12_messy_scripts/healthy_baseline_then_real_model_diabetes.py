# expect:
# allow:
# forbid: *
# evidence: linear baseline then MLP (dropout, AdamW, ReduceLROnPlateau); MLP val R2 0.63 (val_mse 2370 vs target var 6439; baseline val_mse 2594). Train loss plateaus ~0.46 of variance because diabetes targets are noisy (R2 0.5-0.6 is the usual ceiling), not underfitting
"""First a quick baseline (linear model trained with SGD in torch), then the 'real' model (MLP with
dropout + AdamW + ReduceLROnPlateau). Both trained in the same script; compared at the end."""
import json, random
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_diabetes

torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
X, y = load_diabetes(return_X_y=True)
rng = np.random.RandomState(0); idx = rng.permutation(len(X))
tr, va = idx[:340], idx[340:]
mu, sd = X[tr].mean(0), X[tr].std(0)
Xs = (X - mu) / sd
ym, ys = y[tr].mean(), y[tr].std()
t = lambda a: torch.tensor(a, dtype=torch.float32)
Xtr, Xva, ytr, yva = t(Xs[tr]), t(Xs[va]), t((y[tr] - ym) / ys)[:, None], t((y[va] - ym) / ys)[:, None]

def train(model, opt, epochs, name, sched=None):
    hist = []
    for ep in range(epochs):
        model.train(); perm = torch.randperm(len(Xtr)); L = 0
        for i in range(0, len(Xtr), 34):
            b = perm[i:i+34]; loss = nn.functional.mse_loss(model(Xtr[b]), ytr[b])
            opt.zero_grad(); loss.backward(); opt.step(); L += loss.item() * len(b)
        model.eval()
        with torch.no_grad():
            v = nn.functional.mse_loss(model(Xva), yva).item()
        if sched is not None:
            sched.step(v)
        hist.append((L / len(Xtr), v))
        if ep % 10 == 9:
            print(f"[{name}] ep {ep+1:3d} tr {L/len(Xtr):.4f} va {v:.4f} lr {opt.param_groups[0]['lr']:.1e}")
    return hist

base = nn.Linear(10, 1)
h_base = train(base, torch.optim.SGD(base.parameters(), lr=0.01), 30, "baseline")
mlp = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 1))
opt = torch.optim.AdamW(mlp.parameters(), lr=2e-3, weight_decay=0.1)
h_mlp = train(mlp, opt, 40, "mlp", torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=4))
print(f"baseline val {h_base[-1][1]:.4f} vs mlp val {h_mlp[-1][1]:.4f} (normalised mse, var=1)")
vm = h_mlp[-1][1] * ys ** 2
print("CORPUS_METRIC " + json.dumps({"val_mse": vm, "target_var": float(y[va].var()), "val_r2": 1 - vm / float(y[va].var()),
                                     "baseline_val_mse": h_base[-1][1] * ys ** 2, "train_loss_norm": h_mlp[-1][0]}))
