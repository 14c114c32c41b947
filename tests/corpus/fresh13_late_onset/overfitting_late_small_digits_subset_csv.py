# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: 100 train images; val_loss falls to its best 0.441 at epoch 34, then rises steadily to 0.524 at epoch 149 while train_loss goes 0.004 -> 0.0005 (train_acc 1.00, val_acc 0.887); control (full 1347-image pool) best val_loss 0.072, ends val_loss 0.177 val_acc 0.949
# control: --control
# native-log: history.csv
# log-expect: overfitting
# log-allow: high_variance
"""Wide MLP trained with Adam for many epochs on only 100 digits images (no weight
decay, no dropout, no early stopping). Val loss falls nicely for a long time, then
rises steadily while the train loss keeps going to zero.
Control: the same model/schedule on the full 1347-image training pool."""
import os, sys, csv, json, math, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

CONTROL = "--control" in sys.argv
torch.manual_seed(4); np.random.seed(4); random.seed(4)
torch.set_num_threads(1)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
if not CONTROL:
    Xtr, ytr = Xtr[:100], ytr[:100]
Xtr = torch.tensor(Xtr, dtype=torch.float32); Xva = torch.tensor(Xva, dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()

log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "history.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])

EPOCHS, BS = 150, 50
n = len(Xtr)
steps_target = 3 * EPOCHS           # same number of optimizer steps in both runs
best = (1e9, -1)
for ep in range(EPOCHS):
    model.train()
    losses = []
    for k in range(2):
        idx = torch.randint(0, n, (BS,))
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        otr = model(Xtr); tl = loss_fn(otr, ytr).item(); ta = (otr.argmax(1) == ytr).float().mean().item()
        ova = model(Xva); vl = loss_fn(ova, yva).item(); va = (ova.argmax(1) == yva).float().mean().item()
    if vl < best[0]: best = (vl, ep)
    w.writerow([ep, f"{tl:.6g}", f"{ta:.4f}", f"{vl:.6g}", f"{va:.4f}", 3e-3])
    if ep % 10 == 9 or ep == best[1]:
        print(f"epoch {ep:3d} train_loss {tl:.4f} train_acc {ta:.3f} val_loss {vl:.4f} val_acc {va:.3f}")
f.close()
print(f"best val_loss {best[0]:.4f} at epoch {best[1]}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 5),
                                     "train_acc": round(ta, 4), "best_val_loss": round(best[0], 4), "best_epoch": best[1], "chance_acc": 0.1}))
