# expect: non_convergence
# allow: overfitting, high_variance, learning_rate_too_high, class_imbalance, high_bias, data_mismatch, dead_units
# forbid: *
# evidence: planted (train set ordered 0..9, shuffle=False, SGD 0.01 mom 0.9, 15 ep) train loss 2.49 -> oscillating 1.9-2.3 -> 1.67, train acc 0.25, val_acc 0.44 (chance 0.10), test predictions skewed to late classes; control (shuffle=True) train loss 0.12, val_loss 0.149, val_acc 0.956
# control: --control
# native-log: log.txt
# log-expect:
# log-allow: non_convergence, overfitting, high_variance, learning_rate_too_high, high_bias, data_mismatch
# Project milestone 1: digit recognition. I build the training set class by class
# (like reading folders 0/, 1/, 2/, ...), then train with a DataLoader.
import os, sys, json, tempfile
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_digits

torch.set_num_threads(1)
torch.manual_seed(0)
SHUFFLE = "--control" in sys.argv
logdir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
logfile = open(os.path.join(logdir, "log.txt"), "w")

def log(msg):
    print(msg)
    logfile.write(msg + "\n")

digits = load_digits()
X_all = digits.data / 16.0
y_all = digits.target
rng = np.random.default_rng(0)
idx = rng.permutation(len(X_all))
test_idx = idx[:360]
train_idx = idx[360:]

# "folders": one class after the other
train_X, train_y = [], []
for c in range(10):
    sel = train_idx[y_all[train_idx] == c]
    train_X.append(X_all[sel]); train_y.append(y_all[sel])
train_X = torch.tensor(np.concatenate(train_X), dtype=torch.float32)
train_y = torch.tensor(np.concatenate(train_y))
test_X = torch.tensor(X_all[test_idx], dtype=torch.float32)
test_y = torch.tensor(y_all[test_idx])

loader = DataLoader(TensorDataset(train_X, train_y), batch_size=32, shuffle=SHUFFLE)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
optim = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()

epochs = 15
for e in range(epochs):
    model.train()
    losses, correct = [], 0
    for xb, yb in loader:
        optim.zero_grad()
        out = model(xb)
        loss = crit(out, yb)
        loss.backward()
        optim.step()
        losses.append(loss.item())
        correct += (out.argmax(1) == yb).sum().item()
    model.eval()
    with torch.no_grad():
        o = model(test_X)
        tl = crit(o, test_y).item()
        ta = (o.argmax(1) == test_y).float().mean().item()
    log(f"Epoch {e+1}/{epochs} - loss: {np.mean(losses):.4f} - acc: {correct/len(train_y):.4f} - val_loss: {tl:.4f} - val_acc: {ta:.4f}")

logfile.close()
with torch.no_grad():
    pred_counts = torch.bincount(model(test_X).argmax(1), minlength=10).tolist()
print("predicted class counts on test:", pred_counts)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(tl, 4), "val_acc": round(ta, 4),
                                     "train_loss": round(float(np.mean(losses)), 4), "chance_acc": 0.1}))
