# expect: learning_rate_too_high
# allow: exploding_gradients, non_finite, non_convergence, dead_units
# forbid: *
# evidence: SGD lr=1e1 (typo for 1e-1): step losses 2.33, 4.32, 40.7, 2644, 1.4e7, ... NaN within epoch 0, val_acc 0.128 (chance 0.10); control lr=1e-1: val_acc 0.962, val_loss 0.150
# control: --control
import sys, json, random
import numpy as np
import torch
from torch import nn
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
SEED = 1
torch.manual_seed(SEED); np.random.seed(SEED); random.seed(SEED)

# hyperparams
LR = 1e1     # meant 1e-1
if "--control" in sys.argv:
    LR = 1e-1
EPOCHS = 10
BS = 32
MOM = 0.0

X, y = load_digits(return_X_y=True)
idx = np.random.permutation(len(X))
X, y = X[idx], y[idx]
n_tr = 1400
sc = StandardScaler().fit(X[:n_tr])
Xs = sc.transform(X).astype("float32")
Xs = np.nan_to_num(Xs)
Xtr, ytr = torch.from_numpy(Xs[:n_tr]), torch.from_numpy(y[:n_tr])
Xte, yte = torch.from_numpy(Xs[n_tr:]), torch.from_numpy(y[n_tr:])

net = nn.Sequential(nn.Linear(64, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10))
opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOM)
crit = nn.CrossEntropyLoss()

for epoch in range(EPOCHS):
    net.train()
    p = torch.randperm(n_tr)
    losses = []
    for b in range(0, n_tr, BS):
        j = p[b:b+BS]
        loss = crit(net(Xtr[j]), ytr[j])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if epoch == 0 and len(losses) <= 8:
            print(f"  step {len(losses)} loss {loss.item():.4g}")
    net.eval()
    with torch.no_grad():
        out = net(Xte)
        vloss = crit(out, yte).item()
        acc = (out.argmax(-1) == yte).float().mean().item()
    print("epoch %d  train_loss %.4f  val_loss %.4f  val_acc %.3f" % (epoch, np.mean(losses), vloss, acc))

tl = float(np.mean(losses))
print("CORPUS_METRIC " + json.dumps({"val_loss": vloss if np.isfinite(vloss) else None, "val_acc": acc,
                                     "train_loss": tl if np.isfinite(tl) else None, "chance_acc": 0.1}))
