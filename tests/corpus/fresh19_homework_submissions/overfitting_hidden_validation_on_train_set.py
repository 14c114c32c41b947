# expect:
# allow: overfitting, high_variance
# forbid: *
# evidence: planted (val loader built from the training arrays) logged val_loss 0.57 -> 0.008 tracks train loss 0.63 -> 0.009 (val_acc 1.00), so the best checkpoint is epoch 40: real test loss 1.506, test acc 0.684; control (real val split) shows val_loss 0.74 (ep7) -> 1.51 (ep40) and keeps epoch 7: test loss 0.730, test acc 0.697. The training itself overfits, but with val == train no held-out signal exists, so nothing is expected; overfitting/high_variance allowed
# control: --control
# native-log: history.csv
# log-expect:
# log-allow: overfitting, high_variance
# Mini-project: 3-class problem from the course generator (20 features). Train / val / test split,
# save the model with the lowest validation loss and report the test set at the end.
# BUG in this submission: the "validation" loader is built from the training arrays.
import os, sys, json, copy, tempfile
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

torch.set_num_threads(1)
torch.manual_seed(1)
FIXED = "--control" in sys.argv
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

X, y = make_classification(n_samples=2000, n_features=20, n_informative=6, n_redundant=4, n_classes=3,
                           n_clusters_per_class=2, flip_y=0.1, random_state=5)
X = X.astype(np.float32)
X_train, X_rest, y_train, y_rest = train_test_split(X, y, train_size=600, random_state=0, stratify=y)
X_val, X_test, y_val, y_test = train_test_split(X_rest, y_rest, test_size=0.5, random_state=0, stratify=y_rest)

train_loader = DataLoader(TensorDataset(torch.tensor(X_train), torch.tensor(y_train)), batch_size=32, shuffle=True)
if FIXED:
    val_loader = DataLoader(TensorDataset(torch.tensor(X_val), torch.tensor(y_val)), batch_size=256)
else:
    val_loader = DataLoader(TensorDataset(torch.tensor(X_train), torch.tensor(y_train)), batch_size=256)

model = nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 3))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

def run_eval(loader):
    model.eval()
    tot, corr, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            out = model(xb)
            tot += loss_fn(out, yb).item() * len(yb)
            corr += (out.argmax(1) == yb).sum().item()
            n += len(yb)
    return tot / n, corr / n

hist = open(os.path.join(log_dir, "history.csv"), "w")
hist.write("epoch,train_loss,train_acc,val_loss,val_acc\n")
best_val, best_state, best_epoch = 1e9, None, 0
EPOCHS = 40
for epoch in range(1, EPOCHS + 1):
    model.train()
    s, c, n = 0.0, 0, 0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        optimizer.step()
        s += loss.item() * len(yb); c += (out.argmax(1) == yb).sum().item(); n += len(yb)
    val_loss, val_acc = run_eval(val_loader)
    hist.write(f"{epoch},{s/n:.5f},{c/n:.4f},{val_loss:.5f},{val_acc:.4f}\n")
    if epoch % 4 == 0:
        print(f"Epoch {epoch}/{EPOCHS} - loss: {s/n:.4f} - acc: {c/n:.4f} - val_loss: {val_loss:.4f} - val_acc: {val_acc:.4f}")
    if val_loss < best_val:
        best_val, best_state, best_epoch = val_loss, copy.deepcopy(model.state_dict()), epoch
hist.close()

model.load_state_dict(best_state)
test_loss, test_acc = run_eval(DataLoader(TensorDataset(torch.tensor(X_test), torch.tensor(y_test)), batch_size=256))
real_val_loss, real_val_acc = run_eval(DataLoader(TensorDataset(torch.tensor(X_val), torch.tensor(y_val)), batch_size=256))
print(f"best checkpoint: epoch {best_epoch}; test loss {test_loss:.4f}, test acc {test_acc:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                     "train_loss": round(s / n, 4), "chance_acc": 0.34, "best_epoch": best_epoch,
                                     "held_out_val_loss_of_saved_model": round(real_val_loss, 4)}))
