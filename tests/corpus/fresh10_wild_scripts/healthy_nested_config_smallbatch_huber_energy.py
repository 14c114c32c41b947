# Building energy-load regression, nested config dict, tiny noisy mini-batches (bs=8), Huber loss,
# SGD+Nesterov with exponential decay. The per-step loss is very jumpy but training is fine.
# expect:
# allow:
# forbid: *
# evidence: healthy; bs=8 SGD (jumpy per-step loss, step std ~0.025) reaches val_mse 0.098 vs irreducible noise var 0.090 and target var 1.058; train_mse 0.091
import json, math
import numpy as np
import torch
import torch.nn as nn

config = {
    "data": {"n": 2400, "val_frac": 0.25, "noise": 0.3, "seed": 12},
    "model": {"hidden": [64, 32], "dropout": 0.05},
    "optim": {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-4},
    "sched": {"gamma": 0.85},
    "train": {"epochs": 14, "batch_size": 8, "huber_delta": 1.0},
}
torch.set_num_threads(1); torch.manual_seed(config["data"]["seed"])
rng = np.random.default_rng(config["data"]["seed"])
n = config["data"]["n"]
compact = rng.uniform(0.6, 1.0, n); area = rng.uniform(500, 800, n); height = rng.choice([3.5, 7.0], n)
orient = rng.integers(2, 6, n); glazing = rng.choice([0, 0.1, 0.25, 0.4], n); temp = rng.normal(12, 8, n)
load = (8 * height * compact + 0.02 * area + 25 * glazing + 0.6 * np.abs(temp - 18) + 1.5 * np.sin(orient) - 5)
X = np.column_stack([compact, area, height, orient, glazing, temp]).astype(np.float32)
y = load.astype(np.float32)
y = (y - y.mean()) / y.std() + rng.normal(0, config["data"]["noise"], n).astype(np.float32)
n_val = int(n * config["data"]["val_frac"])
Xtr, ytr, Xva, yva = X[n_val:], y[n_val:], X[:n_val], y[:n_val]
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
Xtr, ytr, Xva, yva = map(torch.tensor, (Xtr, ytr, Xva, yva))

mc = config["model"]
dims = [X.shape[1]] + mc["hidden"]
mods = []
for a, b in zip(dims[:-1], dims[1:]):
    mods += [nn.Linear(a, b), nn.SiLU(), nn.Dropout(mc["dropout"])]
model = nn.Sequential(*mods, nn.Linear(dims[-1], 1))
oc = config["optim"]
opt = torch.optim.SGD(model.parameters(), lr=oc["lr"], momentum=oc["momentum"], nesterov=oc["nesterov"], weight_decay=oc["weight_decay"])
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=config["sched"]["gamma"])
huber = nn.HuberLoss(delta=config["train"]["huber_delta"]); mse = nn.MSELoss()
tc = config["train"]
for epoch in range(tc["epochs"]):
    model.train(); perm = torch.randperm(len(Xtr)); losses = []
    for i in range(0, len(perm), tc["batch_size"]):
        b = perm[i:i + tc["batch_size"]]
        loss = huber(model(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    sched.step()
    model.eval()
    with torch.no_grad():
        p = model(Xva).squeeze(1); vh = huber(p, yva).item(); vm = mse(p, yva).item()
    print(f"[{epoch+1:02d}/{tc['epochs']}] huber {np.mean(losses):.4f} (step std {np.std(losses):.3f}) val_huber {vh:.4f} val_mse {vm:.4f} lr {sched.get_last_lr()[0]:.5f}")
with torch.no_grad():
    tm = mse(model(Xtr).squeeze(1), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm, 4), "val_huber": round(vh, 4), "train_mse": round(tm, 4), "target_var": round(float(yva.var()), 4), "noise_var": config["data"]["noise"] ** 2}))
