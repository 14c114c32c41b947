# expect:
# allow:
# forbid: *
# evidence: 100 epochs Adam + cosine on clean 3-arm spiral; train loss 0.0047 (train acc 0.9997), val loss 0.0025, val acc 0.999
# cs231n-style 3-arm spiral, trained long with nn.Sequential + Adam (cosine decay) until the training loss is ~0.
# Clean labels and plenty of points, so the held-out set is fitted just as well.
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

N, D, K = 1500, 2, 3  # points per class, dims, classes
X = np.zeros((N * K, D), dtype="float32")
y = np.zeros(N * K, dtype="int64")
for j in range(K):
    ix = range(N * j, N * (j + 1))
    r = np.linspace(0.0, 1, N)
    t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * 0.05
    X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    y[ix] = j
perm = np.random.permutation(N * K)
X, y = torch.from_numpy(X[perm] * 2), torch.from_numpy(y[perm])
X_train, y_train, X_val, y_val = X[:3600], y[:3600], X[3600:], y[3600:]

model = nn.Sequential(nn.Linear(D, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, K))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
bs = 128

for epoch in range(1, 101):
    model.train()
    idx = torch.randperm(len(X_train))
    for i in range(0, len(X_train), bs):
        b = idx[i:i + bs]
        loss = F.cross_entropy(model(X_train[b]), y_train[b])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
    if epoch % 10 == 0:
        model.eval()
        with torch.no_grad():
            tl = F.cross_entropy(model(X_train), y_train).item()
            out = model(X_val)
            vl = F.cross_entropy(out, y_val).item()
            va = (out.argmax(1) == y_val).float().mean().item()
            ta = (model(X_train).argmax(1) == y_train).float().mean().item()
        print("epoch %3d: train loss %.5f acc %.4f | val loss %.5f acc %.4f" % (epoch, tl, ta, vl, va))

print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 5), "val_acc": round(va, 4), "train_loss": round(tl, 6),
                                     "train_acc": round(ta, 4), "chance_acc": 0.3333}))
