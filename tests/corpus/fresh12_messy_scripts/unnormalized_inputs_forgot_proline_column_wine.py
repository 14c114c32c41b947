# expect: unnormalized_inputs
# allow: non_convergence, learning_rate_too_high, exploding_gradients, dead_units, high_bias
# forbid: *
# evidence: scaler applied to columns range(12) -> proline (col 12) left raw: mean 747, std ~310 while all other columns are 0/1; SGD+tanh stays at chance: train 1.113, val_loss 1.106, val_acc 0.358 (chance 0.40); control (all 13 columns scaled) val_loss 0.032, val_acc 1.00
# control: --control
import sys, json, random
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_wine

torch.set_num_threads(1)
torch.manual_seed(0); np.random.seed(0); random.seed(0)

data = load_wine()
X, y = data.data.copy(), data.target
print(list(zip(data.feature_names, X.mean(0).round(1))))
# scale the "chemistry" columns; first 12 are the small ones ... (proline is col 12 -> forgot it)
cols = list(range(12)) if "--control" not in sys.argv else list(range(13))
mu, sd = X[:, cols].mean(0), X[:, cols].std(0)
X[:, cols] = (X[:, cols] - mu) / sd
print("feature means after scaling:", X.mean(0).round(2))
print("feature stds after scaling:", X.std(0).round(2))

perm = np.random.permutation(len(X))
tr, va = perm[:125], perm[125:]
Xtr, ytr = torch.tensor(X[tr], dtype=torch.float32), torch.tensor(y[tr])
Xva, yva = torch.tensor(X[va], dtype=torch.float32), torch.tensor(y[va])

model = nn.Sequential(nn.Linear(13, 32), nn.Tanh(), nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for ep in range(40):
    perm = torch.randperm(len(Xtr))
    tl = []
    for i in range(0, len(Xtr), 16):
        b = perm[i:i+16]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
        tl.append(loss.item())
    with torch.no_grad():
        o = model(Xva); vl = crit(o, yva).item(); acc = (o.argmax(1) == yva).float().mean().item()
    if ep % 5 == 4:
        print(f"ep {ep+1:2d} | tr {np.mean(tl):.3f} | va {vl:.3f} | acc {acc*100:.1f}%")
print("CORPUS_METRIC " + json.dumps({"val_loss": vl, "val_acc": acc, "train_loss": float(np.mean(tl)), "chance_acc": 0.40}))
