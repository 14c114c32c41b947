# expect: overfitting
# allow: high_variance, non_convergence
# forbid: *
# evidence: planted (label = unrelated last column) train_acc 1.000, train_loss 0.027 while val_loss rises 0.72 -> 1.87, val_acc 0.500 (majority 0.527); control (label = churned column) val_acc 0.933, val_loss 0.336 (min 0.162), train_acc 1.0
# control: --control
# Tabular churn table held as a numpy record array. The label column is "churned" (col 9), but
# the script takes `data[:, -1]`, which after a schema change is "region_id" mod 2 -- a column
# unrelated to the features. A wide MLP then memorises the training set; validation stays at chance.
import sys
import json
import numpy as np
import torch
import torch.nn as nn

CONTROL = "--control" in sys.argv
rng = np.random.default_rng(0)
torch.manual_seed(0)
torch.set_num_threads(1)

N = 1600
features = rng.normal(size=(N, 9)).astype(np.float32)
logit = 1.5 * features[:, 0] - features[:, 1] + 0.8 * features[:, 2] * features[:, 3]
churned = (logit + 0.3 * rng.normal(size=N) > 0).astype(np.float32)
region_parity = rng.integers(0, 2, N).astype(np.float32)          # unrelated column
table = np.column_stack([features, churned, region_parity])      # columns: f0..f8, churned, region

X = torch.from_numpy(table[:, :9])
y = torch.from_numpy(table[:, 9] if CONTROL else table[:, -1]).long()
Xtr, ytr, Xva, yva = X[:1000], y[:1000], X[1000:], y[1000:]

model = nn.Sequential(nn.Linear(9, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()

for epoch in range(60):
    model.train()
    perm = torch.randperm(1000)
    tot = 0.0
    for i in range(0, 1000, 50):
        b = perm[i:i + 50]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() / 20
    model.eval()
    with torch.no_grad():
        out = model(Xva)
        vl = crit(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
        ta = (model(Xtr).argmax(1) == ytr).float().mean().item()
    if epoch % 6 == 0 or epoch == 59:
        print(f"epoch {epoch:2d} train_loss {tot:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")

chance = max(yva.float().mean().item(), 1 - yva.float().mean().item())
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": va, "train_loss": tot, "train_acc": ta, "chance_acc": chance}))
