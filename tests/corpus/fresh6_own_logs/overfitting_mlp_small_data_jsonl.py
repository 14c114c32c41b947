# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted 160 training samples: train loss -> 0.0002 (train acc 1.0) while val_loss bottoms at 1.33 (epoch 5) and climbs to 2.72, val_acc 0.52; control 1600 samples, same model and number of steps: val_loss 0.75 (still falling), val_acc 0.72 (chance 0.17)
# control: --control
# native-log: history.jsonl
# log-expect: overfitting
# log-allow: high_variance
"""Wide MLP, 160 training samples, 150 epochs without regularisation; Keras-like flat JSON lines. Planted: tiny training set (control: 10x the data, same model/epochs)."""
import json, os, sys, tempfile
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
N_TRAIN = 1600 if "--control" in sys.argv else 160

g = torch.Generator().manual_seed(31)
centers = 0.6 * torch.randn(30, 32, generator=g)   # 6 classes x 5 sub-clusters
def make(n):
    c = torch.randint(0, 30, (n,), generator=g)
    return centers[c] + torch.randn(n, 32, generator=g), c % 6
xva, yva = make(1000)
xtr, ytr = make(N_TRAIN)

model = nn.Sequential(nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 6))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
STEPS_PER_EPOCH = 10
log = open(os.path.join(LOG_DIR, "history.jsonl"), "w")
bs = N_TRAIN // STEPS_PER_EPOCH
for epoch in range(150 if N_TRAIN == 160 else 15):   # same number of optimiser steps in both runs
    model.train()
    perm = torch.randperm(N_TRAIN)
    tl, tc = 0.0, 0
    for i in range(0, N_TRAIN, bs):
        idx = perm[i:i + bs]
        out = model(xtr[idx])
        loss = F.cross_entropy(out, ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step()
        tl += loss.item() * len(idx); tc += (out.argmax(1) == ytr[idx]).sum().item()
    model.eval()
    with torch.no_grad():
        out = model(xva)
        vl = F.cross_entropy(out, yva).item()
        va = (out.argmax(1) == yva).float().mean().item()
    rec = {"epoch": epoch, "loss": round(tl / N_TRAIN, 5), "accuracy": round(tc / N_TRAIN, 4), "val_loss": round(vl, 5), "val_accuracy": round(va, 4)}
    log.write(json.dumps(rec) + "\n"); log.flush()
    if epoch % 10 == 9 or N_TRAIN > 160:
        print(rec)
log.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl / N_TRAIN, 5), "train_acc": round(tc / N_TRAIN, 4), "chance_acc": 0.1667, "n_train": N_TRAIN}))
