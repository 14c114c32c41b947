# expect:
# forbid: *
# evidence: val_mse 0.053 vs target_var 2.10 (R^2 ~0.97) against the noise-free target, val_mae 0.17; still improving at the end
"""Tabular regression with heavy-tailed (Student-t, df=3) label noise, trained with HuberLoss(delta=1).
Features are standardised; the target is standardised with train statistics.
Evaluated by MSE/MAE against the noise-free function on a held-out set."""
import json

import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
torch.manual_seed(0)
torch.set_num_threads(1)

n_tr, n_va, d = 4000, 1000, 8
w = rng.normal(size=d)


def f(X):
    return X @ w * 0.5 + np.tanh(X[:, 0] * X[:, 1]) * 2


# raw features have arbitrary units/offsets; the target depends on their standardised values
scale, offset = rng.uniform(0.5, 20, size=d), rng.uniform(-50, 50, size=d)
X_tr = rng.normal(size=(n_tr, d)) * scale + offset
X_va = rng.normal(size=(n_va, d)) * scale + offset
mu, sd = X_tr.mean(0), X_tr.std(0)
Z_tr, Z_va = (X_tr - mu) / sd, (X_va - mu) / sd
y_tr = f(Z_tr) + 0.25 * rng.standard_t(3, size=n_tr)
y_va_clean = f(Z_va)
ym, ys = y_tr.mean(), y_tr.std()

Xt = torch.tensor(Z_tr, dtype=torch.float32)
yt = torch.tensor((y_tr - ym) / ys, dtype=torch.float32).unsqueeze(1)
Xv = torch.tensor(Z_va, dtype=torch.float32)

model = nn.Sequential(nn.Linear(d, 96), nn.ReLU(), nn.Linear(96, 96), nn.ReLU(), nn.Linear(96, 1))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
huber = nn.HuberLoss(delta=1.0)

for epoch in range(24):
    perm = torch.randperm(n_tr)
    model.train()
    acc = 0.0
    for i in range(0, n_tr, 128):
        b = perm[i:i + 128]
        loss = huber(model(Xt[b]), yt[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        acc += loss.item() * len(b)
    model.eval()
    with torch.no_grad():
        pred = model(Xv).squeeze(1).numpy() * ys + ym
    val_mse = float(np.mean((pred - y_va_clean) ** 2))
    val_mae = float(np.mean(np.abs(pred - y_va_clean)))
    if epoch % 2 == 1 or epoch == 0:
        print(f"epoch {epoch + 1}: huber {acc / n_tr:.4f}  val_mse {val_mse:.4f}  val_mae {val_mae:.4f}")

print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 4), "val_mae": round(val_mae, 4),
                                      "target_var": round(float(y_va_clean.var()), 4), "train_loss": round(acc / n_tr, 4)}))
