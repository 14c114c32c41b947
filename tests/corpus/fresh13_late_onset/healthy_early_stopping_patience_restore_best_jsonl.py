# expect:
# allow:
# forbid: *
# evidence: best val_loss 0.111 at epoch 54, val_loss rises slightly to 0.116 over 6 epochs, stops at epoch 60 and restores epoch 54: val_acc 0.971 (chance 0.10), train_loss 0.020
# native-log: es_log.jsonl
# log-expect:
# log-allow: overfitting
"""Digits MLP (Adam) with early stopping on val loss, patience 6, restoring the best
weights. Val loss bottoms out, creeps up for the patience window, training stops and
the best checkpoint is evaluated. The last logged epochs show a slight val rise - that
is exactly what early stopping is for, and the final model is the best one."""
import os, copy, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(14); np.random.seed(14); random.seed(14)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=14, stratify=y)
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
loss_fn = nn.CrossEntropyLoss()
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
logf = open(os.path.join(log_dir, "es_log.jsonl"), "w")
best, best_state, bad, PATIENCE = float("inf"), None, 0, 6
n = len(Xtr)
for ep in range(200):
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, 64):
        idx = perm[i:i + 64]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    logf.write(json.dumps({"epoch": ep, "train_loss": tot / n, "val_loss": vl, "val_acc": va, "lr": 2e-3}) + "\n")
    print(f"epoch {ep:2d} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    if vl < best - 1e-4:
        best, best_state, bad, best_ep = vl, copy.deepcopy(model.state_dict()), 0, ep
    else:
        bad += 1
        if bad >= PATIENCE:
            print(f"early stop at epoch {ep}; restoring epoch {best_ep}")
            break
logf.close()
model.load_state_dict(best_state); model.eval()
with torch.no_grad():
    o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "best_epoch": best_ep, "stopped_epoch": ep, "chance_acc": 0.1}))
