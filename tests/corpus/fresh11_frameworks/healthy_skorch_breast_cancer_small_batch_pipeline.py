"""Healthy look-alike: skorch NeuralNetBinaryClassifier in a sklearn Pipeline, tiny batches -> noisy loss.

Breast-cancer data (sklearn bundled) -> StandardScaler -> MLP with dropout, SGD+Nesterov momentum
with batch size 8, so the per-batch training loss is very noisy. skorch's ValidSplit holds out
20 % of the training data; EpochScoring logs ROC-AUC, LRScheduler steps a StepLR. A separate
test split is scored at the end. net.history is written with save_params(f_history=...).
"""
# expect:
# allow:
# forbid: *
# evidence: test accuracy 0.98, test ROC-AUC 0.997 (majority 0.63); valid_loss 0.092 vs train_loss 0.080; per-batch loss noisy (std 0.10 over the last 5 epochs' batches) but epoch curves smooth
# native-log: skorch_history.json
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(10); np.random.seed(10); torch.manual_seed(10)
from skorch import NeuralNetBinaryClassifier
from skorch.callbacks import EpochScoring, LRScheduler
from skorch.dataset import ValidSplit
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import roc_auc_score, log_loss

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_bc_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = load_breast_cancer(return_X_y=True)
X = X.astype(np.float32); y = y.astype(np.float32)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=10, stratify=y)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(30, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


net = NeuralNetBinaryClassifier(
    MLP, optimizer=torch.optim.SGD, optimizer__momentum=0.9, optimizer__nesterov=True, lr=0.005,
    optimizer__weight_decay=3e-3, max_epochs=16, batch_size=8, train_split=ValidSplit(5, stratified=True),
    callbacks=[EpochScoring("roc_auc", lower_is_better=False), LRScheduler("StepLR", step_size=8, gamma=0.5)],
    iterator_train__shuffle=True, verbose=0)
pipe = Pipeline([("scale", StandardScaler()), ("net", net)])
pipe.fit(Xtr, ytr)
net.save_params(f_history=os.path.join(LOG_DIR, "skorch_history.json"))

proba = pipe.predict_proba(Xte)[:, 1]
h = net.history
late_batches = [b["train_loss"] for ep in h[-5:] for b in ep["batches"] if "train_loss" in b]
print("valid_loss per epoch:", [round(float(v), 3) for v in h[:, "valid_loss"]])
print("CORPUS_METRIC " + json.dumps({"test_acc": round(float(((proba > 0.5) == yte).mean()), 4),
                                     "test_auc": round(float(roc_auc_score(yte, proba)), 4),
                                     "test_loss": round(float(log_loss(yte, proba)), 4),
                                     "valid_loss": round(h[-1, "valid_loss"], 4), "train_loss": round(h[-1, "train_loss"], 4),
                                     "late_batch_loss_std": round(float(np.std(late_batches)), 4),
                                     "majority_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))
