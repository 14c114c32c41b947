# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (model.eval() in validation, never back to train -> dropout off from epoch 2) val_loss 0.67 (ep5) -> 1.31 (ep40) while train loss -> 0.012 (train_acc 1.00), val_acc 0.737; control (model.train() every epoch) val_loss 0.64-0.68 to the end, train loss 0.39, val_acc 0.768
# control: --control
# HW5: regularisation with dropout. MLP on a small noisy synthetic dataset
# (the assignment says: 600 training points, 20 features, show that dropout helps)
import sys
import json
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import make_classification

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

control = len(sys.argv) > 1 and sys.argv[1] == "--control"

X, y = make_classification(n_samples=1600, n_features=20, n_informative=6, n_redundant=4,
                           n_classes=3, n_clusters_per_class=2, flip_y=0.1, random_state=5)
rng = np.random.RandomState(0)
order = rng.permutation(len(X))
train_idx, val_idx = order[:600], order[600:]

train_ds = TensorDataset(torch.tensor(X[train_idx], dtype=torch.float32), torch.tensor(y[train_idx]))
val_X = torch.tensor(X[val_idx], dtype=torch.float32)
val_y = torch.tensor(y[val_idx])
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Linear(20, 256), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5),
    nn.Linear(256, 3),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

EPOCHS = 40
model.train()
for epoch in range(1, EPOCHS + 1):
    if control:
        model.train()
    tl, tc, tn = 0.0, 0, 0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        logits = model(xb)
        loss = criterion(logits, yb)
        loss.backward()
        optimizer.step()
        tl += loss.item() * len(yb)
        tc += (logits.argmax(1) == yb).sum().item()
        tn += len(yb)

    # validation
    model.eval()
    with torch.no_grad():
        vlogits = model(val_X)
        vloss = criterion(vlogits, val_y).item()
        vacc = (vlogits.argmax(1) == val_y).float().mean().item()
    if epoch % 5 == 0 or epoch == 1:
        print(f"Epoch {epoch}/{EPOCHS}  train_loss={tl/tn:.4f} train_acc={tc/tn:.3f}  val_loss={vloss:.4f} val_acc={vacc:.3f}")

print("CORPUS_METRIC", json.dumps({"val_loss": round(vloss, 4), "val_acc": round(vacc, 4),
                                   "train_loss": round(tl / tn, 4), "train_acc": round(tc / tn, 4),
                                   "chance_acc": 0.34}))
