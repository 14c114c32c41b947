# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: planted (1.2% fraud, plain CrossEntropyLoss) holdout balanced_acc 0.60, fraud recall 0.21 (acc 0.989 vs all-legit 0.988); control (--control, inverse-frequency class weights in the loss) balanced_acc 0.87, fraud recall 0.83
# control: --control
# native-log: history.json
# log-expect:
# log-allow: class_imbalance
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import balanced_accuracy_score, recall_score
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)

ap = argparse.ArgumentParser()
ap.add_argument("--control", action="store_true")
opts = ap.parse_args()

SEED = 2024
torch.manual_seed(SEED)
rng = np.random.default_rng(SEED)

# card transactions: amount_log, hour_sin, hour_cos, merchant_risk, dist_from_home, n_tx_24h, ...
n = 8000
fraud = (rng.random(n) < 0.015).astype(np.int64)
X = rng.normal(size=(n, 10)).astype(np.float32)
X[fraud == 1, 0] += 1.3   # amount_log
X[fraud == 1, 3] += 1.1   # merchant_risk
X[fraud == 1, 4] += 0.9   # dist_from_home
X[fraud == 1, 5] += 0.8   # n_tx_24h

holdout = rng.random(n) < 0.25
X_fit, y_fit = X[~holdout], fraud[~holdout]
X_hold, y_hold = X[holdout], fraud[holdout]

mlp = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))

extra = {}
if opts.control:
    counts = np.bincount(y_fit, minlength=2)
    extra["criterion__weight"] = torch.tensor(len(y_fit) / (2.0 * counts), dtype=torch.float32)

clf = NeuralNetClassifier(
    mlp,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=1e-3,
    max_epochs=20,
    batch_size=128,
    train_split=ValidSplit(0.2, stratified=True, random_state=0),
    callbacks=[EpochScoring("balanced_accuracy", name="valid_bal_acc", lower_is_better=False)],
    iterator_train__shuffle=True,
    verbose=0,
    **extra,
)
clf.fit(X_fit, y_fit)

out_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
clf.history.to_file(os.path.join(out_dir, "history.json"))

pred = clf.predict(X_hold)
bal = balanced_accuracy_score(y_hold, pred)
rec = recall_score(y_hold, pred, zero_division=0)
acc = float((pred == y_hold).mean())
print(f"holdout: acc {acc:.3f} balanced_acc {bal:.3f} fraud recall {rec:.3f} (fraud rate {y_hold.mean():.3f})")
print("CORPUS_METRIC " + json.dumps({"val_acc": round(acc, 4), "val_balanced_acc": round(bal, 4),
                                      "val_fraud_recall": round(rec, 4), "val_loss": round(clf.history[-1, "valid_loss"], 4),
                                      "train_loss": round(clf.history[-1, "train_loss"], 4),
                                      "chance_acc": round(1 - float(y_hold.mean()), 4)}))
