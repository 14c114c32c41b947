"""pytorch/examples-style MNIST console, on a noisy 10-class synthetic tabular task, with a debug subset left on.

Only 150 of the 2400 training rows are used (the `--debug-subset` flag stayed in the launch
script); the MLP has no dropout and trains 800 iterations with Adam.  The printed train losses
go to ~0 while the "Test set: Average loss" climbs after a few epochs.  --control trains on
the full training split (same net, same 800 iterations).
"""
# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (150 train rows) test loss min 1.122 at iter 150 then rises to 1.511 at iter 800, test acc 0.665, train loss 0.0025; control (2400 rows, same 800 iters) test loss 0.708 (flat at its min), test acc 0.823, train loss 0.405
# control: --control
# native-log: mnist_console.log
# log-expect: overfitting
# log-allow: high_variance
import os, sys, json, random, tempfile
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

DEBUG_SUBSET = None if "--control" in sys.argv else 150
torch.manual_seed(0); np.random.seed(0); random.seed(0)
torch.set_num_threads(1)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="mnist_")
os.makedirs(LOG_DIR, exist_ok=True)
_log = open(os.path.join(LOG_DIR, "mnist_console.log"), "w")


def echo(s=""):
    print(s); _log.write(s + "\n"); _log.flush()


X, y = make_classification(n_samples=3000, n_features=32, n_informative=16, n_redundant=4, n_classes=10,
                           n_clusters_per_class=1, class_sep=1.6, flip_y=0.05, random_state=5)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=600, random_state=0)
if DEBUG_SUBSET:
    Xtr, ytr = Xtr[:DEBUG_SUBSET], ytr[:DEBUG_SUBSET]
Xtr, Xte, ytr, yte = map(torch.tensor, (Xtr, Xte, ytr, yte))

model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
BS, MAX_ITERS, LOG_INTERVAL, EVAL_INTERVAL = 32, 800, 25, 50   # iteration-based schedule
it, epoch = 0, 0
while it < MAX_ITERS:
    epoch += 1
    model.train(); perm = torch.randperm(len(Xtr))
    nb = (len(Xtr) + BS - 1) // BS
    for b in range(nb):
        idx = perm[b * BS:(b + 1) * BS]
        loss = F.cross_entropy(model(Xtr[idx]), ytr[idx])
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        it += 1
        if it % LOG_INTERVAL == 0:
            echo('Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}'.format(epoch, b * BS, len(Xtr), 100. * b / nb, loss.item()))
        if it % EVAL_INTERVAL == 0:
            model.eval()
            with torch.no_grad():
                out = model(Xte)
                test_loss = F.cross_entropy(out, yte, reduction='sum').item() / len(Xte)
                correct = out.argmax(1).eq(yte).sum().item()
                train_loss = F.cross_entropy(model(Xtr), ytr).item()
            echo('\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n'.format(test_loss, correct, len(Xte), 100. * correct / len(Xte)))
            model.train()
        if it >= MAX_ITERS:
            break
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(correct / len(Xte), 4),
                                     "train_loss": round(train_loss, 6), "n_train": len(Xtr), "chance_acc": 0.1}))
