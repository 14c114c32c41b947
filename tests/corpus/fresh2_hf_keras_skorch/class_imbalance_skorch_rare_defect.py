# expect: class_imbalance
# allow: high_bias
# forbid: *
# evidence: on a balanced held-out audit set, planted (96/2/2 training priors) gets balanced acc 0.333, recall [1.00, 0.00, 0.00] (always "ok"; its skorch valid_acc still reads 0.96); control (balanced training sample, same size) gets balanced acc 0.868, recall [0.79, 0.89, 0.92]
# control: --control
# native-log: history.json
# log-expect:
# log-allow: class_imbalance
"""skorch NeuralNetClassifier (no scaler: sensor features are already z-scored) for a 3-class
"defect type" problem where the training log was collected from a line that almost never fails:
96% "ok", 2% "crack", 2% "void". The model is evaluated on a balanced audit set, so the rare
classes matter as much as the common one. --control trains on a class-balanced sample of the same
size from the same generator (nothing else changes).
"""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)

from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

parser = argparse.ArgumentParser()
parser.add_argument("--control", action="store_true")
cli = parser.parse_args()
PRIORS = [1 / 3, 1 / 3, 1 / 3] if cli.control else [0.96, 0.02, 0.02]

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_defect_")
os.makedirs(LOG_DIR, exist_ok=True)
rng = np.random.default_rng(4)
D = 12
means = np.zeros((3, D))
means[1, :4] = 1.2
means[2, 2:6] = -1.2
means[2, 6] = 1.2


def sample(n, priors):
    y = rng.choice(3, size=n, p=priors)
    x = means[y] + rng.normal(size=(n, D))
    return x.astype(np.float32), y.astype(np.int64)


x_train, y_train = sample(3000, PRIORS)
x_test, y_test = sample(1500, [1 / 3, 1 / 3, 1 / 3])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(D, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                                  nn.Linear(32, 3))

    def forward(self, x):
        return self.body(x)


net = NeuralNetClassifier(
    Net, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.AdamW, optimizer__weight_decay=1e-3,
    lr=1e-3, max_epochs=12, batch_size=64, iterator_train__shuffle=True,
    train_split=ValidSplit(0.2, stratified=True, random_state=0),
    callbacks=[EpochScoring("accuracy", lower_is_better=False, name="valid_acc_sk"),
               EpochScoring("balanced_accuracy", lower_is_better=False, name="valid_bal_acc")],
    verbose=0,
)
net.fit(x_train, y_train)
net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

pred = net.predict(x_test)
recall = [float((pred[y_test == c] == c).mean()) for c in range(3)]
proba = net.predict_proba(x_test)
test_loss = float(-np.log(np.clip(proba[np.arange(len(y_test)), y_test], 1e-12, None)).mean())
metric = {"val_acc": round(float((pred == y_test).mean()), 4),
          "val_balanced_acc": round(float(np.mean(recall)), 4),
          "val_recall_per_class": [round(r, 4) for r in recall], "val_loss": round(test_loss, 4),
          "train_loss": round(float(net.history[-1, "train_loss"]), 4), "chance_acc": 0.3333,
          "train_class_fractions": [round(float((y_train == c).mean()), 4) for c in range(3)]}
print("CORPUS_METRIC " + json.dumps(metric))
