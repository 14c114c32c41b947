"""Two-moons with 10% of the labels flipped at random.

Bias/variance check (Ng's recipe): the labels are clean moons with a known 10% flip,
so the Bayes error is 0.10. A decent MLP should land at ~0.10 on train AND dev:
avoidable bias ~0, variance ~0. The dev error looks "high" but it IS the floor.
"""
# expect:
# allow:
# forbid: *
# evidence: Bayes err 0.10 (10% label flip); train_err 0.103, dev_err 0.094 -> avoidable bias +0.003, variance -0.009; loss plateau at ~0.33 is the noise floor
import json
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons

torch.set_num_threads(1)
torch.manual_seed(0)
rng = np.random.default_rng(0)

FLIP = 0.10          # known label-noise rate -> Bayes error


def make_split(n, seed):
    X, y = make_moons(n_samples=n, noise=0.08, random_state=seed)
    r = np.random.default_rng(seed + 100)
    flip = r.random(n) < FLIP
    y = np.where(flip, 1 - y, y)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.long)


Xtr, ytr = make_split(3000, 1)
Xdev, ydev = make_split(1500, 2)

model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 2))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()


def error(X, y):
    model.eval()
    with torch.no_grad():
        logits = model(X)
        l = loss_fn(logits, y).item()
        e = (logits.argmax(1) != y).float().mean().item()
    model.train()
    return e, l


for epoch in range(30):
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    tr_e, tr_l = error(Xtr, ytr)
    dv_e, dv_l = error(Xdev, ydev)
    if epoch % 5 == 4 or epoch == 0:
        print(f"epoch {epoch+1:2d}  train_err {tr_e:.3f}  dev_err {dv_e:.3f}  "
              f"(bayes {FLIP:.3f})  train_loss {tr_l:.3f} dev_loss {dv_l:.3f}")

print(f"avoidable bias = {tr_e - FLIP:+.3f}   variance = {dv_e - tr_e:+.3f}")
print("CORPUS_METRIC " + json.dumps({"train_err": round(tr_e, 4), "dev_err": round(dv_e, 4),
                                     "bayes_err": FLIP, "train_loss": round(tr_l, 4),
                                     "val_loss": round(dv_l, 4), "val_acc": round(1 - dv_e, 4),
                                     "chance_acc": 0.5}))
