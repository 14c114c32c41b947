"""Wide MLP with dropout 0.5 (input dropout 0.2) on a synthetic 20-feature churn-like table.

Look-alike: the training loss is measured with dropout active, so it stays well
ABOVE the validation loss for the whole run (a monitor might read this as
underfitting, or as a data-leak / mismatch between splits). Plain top-level script.
"""
# expect:
# allow:
# forbid: *
# evidence: val_acc 0.916 (chance 0.50; 3% of labels flipped), val_loss 0.258 < train_loss (dropout active) 0.308 at the end and at every logged epoch; val_loss falls monotonically-ish 0.353 -> 0.258
# native-log: dropout_run/history.csv
# log-expect:
# log-allow:
import csv
import json
import os
import random
import tempfile

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.set_num_threads(1)
random.seed(4)
np.random.seed(4)
torch.manual_seed(4)

X, y = make_classification(n_samples=3000, n_features=20, n_informative=8, n_redundant=4,
                           flip_y=0.03, class_sep=1.0, random_state=4)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=4, stratify=y)
scaler = StandardScaler().fit(Xtr)
Xtr = torch.tensor(scaler.transform(Xtr), dtype=torch.float32)
Xva = torch.tensor(scaler.transform(Xva), dtype=torch.float32)
ytr = torch.tensor(ytr, dtype=torch.float32)
yva = torch.tensor(yva, dtype=torch.float32)

net = nn.Sequential(
    nn.Dropout(0.2),
    nn.Linear(20, 256), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(256, 1),
)
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
crit = nn.BCEWithLogitsLoss()

out_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "dropout_run")
os.makedirs(out_dir, exist_ok=True)
fh = open(os.path.join(out_dir, "history.csv"), "w", newline="")
writer = csv.writer(fh)
writer.writerow(["epoch", "train_loss", "val_loss", "val_acc"])

BATCH = 64
for epoch in range(25):
    net.train()
    order = torch.randperm(len(Xtr))
    running, seen = 0.0, 0
    for start in range(0, len(order), BATCH):
        b = order[start:start + BATCH]
        loss = crit(net(Xtr[b]).squeeze(1), ytr[b])
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item() * len(b)
        seen += len(b)
    train_loss = running / seen
    net.eval()
    with torch.no_grad():
        logits = net(Xva).squeeze(1)
        val_loss = crit(logits, yva).item()
        val_acc = ((logits > 0).float() == yva).float().mean().item()
    writer.writerow([epoch + 1, f"{train_loss:.5f}", f"{val_loss:.5f}", f"{val_acc:.4f}"])
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1} train_loss {train_loss:.4f} val_loss {val_loss:.4f} val_acc {val_acc:.4f}")
fh.close()

print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_loss, 4), "val_acc": round(val_acc, 4),
                                    "train_loss": round(train_loss, 4),
                                    "chance_acc": round(float(max(yva.mean(), 1 - yva.mean())), 4)}))
