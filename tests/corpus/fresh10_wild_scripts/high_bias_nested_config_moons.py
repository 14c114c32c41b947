# Two-moons classifier configured by a nested config dict. The model builder stacks Linear layers
# from cfg["model"]["layers"] but the activation lookup silently returns None for "relu "
# (trailing space), so the "deep" net is one linear map: it can only draw a straight boundary.
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: activation typo -> purely linear net: train_err 0.134, val_err 0.116 (train ~= val, gap tiny); --control (ReLU actually inserted) train_err 0.036, val_err 0.025, so achievable error ~0.03 and avoidable bias ~0.10 dominates
# control: --control
import sys, json, copy
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons

CFG = {
    "seed": 0,
    "data": {"n_train": 1500, "n_val": 1000, "noise": 0.2},
    "model": {"layers": [2, 64, 64, 2], "activation": "relu "},     # <- typo
    "optim": {"name": "adam", "lr": 3e-3, "weight_decay": 0.0},
    "train": {"epochs": 60, "batch_size": 64},
}
if "--control" in sys.argv:
    CFG = copy.deepcopy(CFG); CFG["model"]["activation"] = "relu"

ACTS = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}


def build(mcfg):
    mods, dims = [], mcfg["layers"]
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        mods.append(nn.Linear(a, b))
        act = ACTS.get(mcfg["activation"])
        if act is not None and i < len(dims) - 2:
            mods.append(act())
    return nn.Sequential(*mods)


torch.set_num_threads(1); torch.manual_seed(CFG["seed"])
d = CFG["data"]
X, y = make_moons(d["n_train"] + d["n_val"], noise=d["noise"], random_state=CFG["seed"])
X = (X - X[: d["n_train"]].mean(0)) / X[: d["n_train"]].std(0)
X, y = torch.tensor(X, dtype=torch.float32), torch.tensor(y)
Xtr, ytr, Xva, yva = X[: d["n_train"]], y[: d["n_train"]], X[d["n_train"]:], y[d["n_train"]:]
model = build(CFG["model"])
print(model)
opt = torch.optim.Adam(model.parameters(), lr=CFG["optim"]["lr"], weight_decay=CFG["optim"]["weight_decay"])
crit = nn.CrossEntropyLoss()
tc = CFG["train"]
for ep in range(tc["epochs"]):
    model.train()
    perm = torch.randperm(len(Xtr))
    for i in range(0, len(perm), tc["batch_size"]):
        b = perm[i:i + tc["batch_size"]]
        loss = crit(model(Xtr[b]), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step()
    if ep % 10 == 9:
        model.eval()
        with torch.no_grad():
            o = model(Xva); print(f"ep {ep+1}: val_loss {crit(o, yva).item():.4f} val_acc {(o.argmax(1) == yva).float().mean().item():.4f}")
model.eval()
with torch.no_grad():
    ot, ov = model(Xtr), model(Xva)
    res = {"val_loss": crit(ov, yva).item(), "val_acc": (ov.argmax(1) == yva).float().mean().item(),
           "train_loss": crit(ot, ytr).item(), "train_acc": (ot.argmax(1) == ytr).float().mean().item()}
res = {k: round(v, 4) for k, v in res.items()}
res.update(train_err=round(1 - res["train_acc"], 4), val_err=round(1 - res["val_acc"], 4), chance_acc=0.5)
print("CORPUS_METRIC " + json.dumps(res))
