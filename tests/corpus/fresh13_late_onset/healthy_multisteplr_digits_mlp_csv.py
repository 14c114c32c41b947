# expect:
# allow:
# forbid: *
# evidence: MultiStepLR drops lr 0.1 -> 0.01 -> 0.001 at epochs 10 and 16; ends val_acc 0.980 (chance 0.10), val_loss 0.215 flat from epoch 8 (0.228) to 21 (0.215), train_loss 0.002
# native-log: log.csv
# log-expect:
# log-allow:
"""Digits MLP, SGD momentum 0.1 with MultiStepLR(milestones=[10, 16], gamma=0.1):
the loss drops in visible steps at each milestone; nothing is wrong."""
import os, csv, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(10); np.random.seed(10); random.seed(10)
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr = torch.tensor(sc.transform(Xtr), dtype=torch.float32); Xva = torch.tensor(sc.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr); yva = torch.tensor(yva)
model = nn.Sequential(nn.Linear(64, 96), nn.ReLU(), nn.Dropout(0.1), nn.Linear(96, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[10, 16], gamma=0.1)
loss_fn = nn.CrossEntropyLoss()
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(log_dir, exist_ok=True)
f = open(os.path.join(log_dir, "log.csv"), "w", newline="")
w = csv.writer(f); w.writerow(["step", "loss", "val_loss", "val_acc", "lr"])
n = len(Xtr); step = 0
for ep in range(22):
    model.train(); perm = torch.randperm(n); tot = 0.0
    for i in range(0, n, 32):
        idx = perm[i:i + 32]
        loss = loss_fn(model(Xtr[idx]), ytr[idx])
        opt.zero_grad(); loss.backward(); opt.step(); step += 1; tot += loss.item() * len(idx)
        if step % 5 == 0:
            w.writerow([step, f"{loss.item():.5g}", "", "", opt.param_groups[0]["lr"]])
    model.eval()
    with torch.no_grad():
        o = model(Xva); vl = loss_fn(o, yva).item(); va = (o.argmax(1) == yva).float().mean().item()
    w.writerow([step, f"{loss.item():.5g}", f"{vl:.5g}", f"{va:.4f}", opt.param_groups[0]["lr"]])
    print(f"epoch {ep:2d} lr {opt.param_groups[0]['lr']:.3f} train_loss {tot / n:.4f} val_loss {vl:.4f} val_acc {va:.3f}")
    sched.step()
f.close()
with torch.no_grad():
    tl = loss_fn(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vl, 4), "val_acc": round(va, 4), "train_loss": round(tl, 4), "chance_acc": 0.1}))
