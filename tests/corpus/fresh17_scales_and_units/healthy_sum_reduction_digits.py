# expect:
# allow:
# forbid: *
# evidence: healthy; loss is a SUM: per-epoch train loss sum 2958 -> 192 and val loss sum 912 -> 76, i.e. mean val loss 0.169; val_acc 0.956 (chance 0.1)
# native-log: sum_loss_metrics.csv
# log-expect:
# log-allow:
"""Digits MLP trained with CrossEntropyLoss(reduction='sum'); the per-epoch loss is a SUM over ~1300
samples (starts ~3000, ends in the tens). Adam is invariant to the loss scale, so this is healthy."""
import os, sys, json, random, tempfile, csv
import numpy as np, torch, torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
Xtr, Xva = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xva, dtype=torch.float32)
ytr, yva = torch.tensor(ytr), torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
lossf = nn.CrossEntropyLoss(reduction="sum")
f = open(os.path.join(LOG_DIR, "sum_loss_metrics.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["epoch", "step", "train_loss_sum", "val_loss_sum", "val_acc"])
step = 0
for epoch in range(20):
    model.train(); perm = torch.randperm(len(Xtr)); tot = 0.0
    for i in range(0, len(Xtr), 64):
        idx = perm[i:i + 64]
        loss = lossf(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1
        tot += loss.item()
    model.eval()
    with torch.no_grad():
        out = model(Xva); vl = lossf(out, yva).item(); va = (out.argmax(1) == yva).float().mean().item()
    w.writerow([epoch, step, round(tot, 3), round(vl, 3), round(va, 4)]); f.flush()
    print(f"epoch {epoch:2d} train_loss_sum {tot:9.2f} val_loss_sum {vl:8.2f} val_acc {va:.4f}")
f.close()
with torch.no_grad():
    trl = lossf(model(Xtr), ytr).item() / len(Xtr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl / len(Xva), 4), "val_loss_sum": round(vl, 2), "val_acc": round(va, 4),
                                    "train_loss": round(trl, 4), "chance_acc": 0.1}))
