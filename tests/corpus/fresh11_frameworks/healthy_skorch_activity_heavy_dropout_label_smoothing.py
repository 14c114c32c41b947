"""Healthy look-alike: skorch NeuralNetClassifier with heavy dropout and label smoothing -> train loss > valid loss.

Six-class "activity recognition" features (sklearn make_classification, 30 features, standardised).
A wide MLP with Dropout(0.5) on every hidden layer is trained with CrossEntropyLoss(label_smoothing=0.15)
and AdamW; skorch's EarlyStopping + a ReduceLROnPlateau LRScheduler. Because dropout is active in
train mode only, the logged train_loss stays above valid_loss for the whole run; and the smoothed
loss can never go near 0. net.history is written with history.to_file.
"""
# expect:
# allow:
# forbid: *
# evidence: test_acc 0.92 (chance 0.17); train_loss 0.82 > valid_loss 0.80-0.81 at every one of 30 epochs (dropout), smoothed-CE floor 0.58; valid loss flat over the last 8 epochs, no upward trend
# native-log: history.json
# log-expect:
# log-allow:
import os, sys, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(11); np.random.seed(11); torch.manual_seed(11)
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, LRScheduler
from skorch.dataset import ValidSplit
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_act_")
os.makedirs(LOG_DIR, exist_ok=True)

X, y = make_classification(n_samples=4000, n_features=30, n_informative=14, n_redundant=6, n_classes=6,
                           n_clusters_per_class=2, class_sep=1.6, flip_y=0.02, random_state=11)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=11, stratify=y)
sc = StandardScaler().fit(Xtr)
Xtr, Xte = sc.transform(Xtr).astype(np.float32), sc.transform(Xte).astype(np.float32)
ytr, yte = ytr.astype(np.int64), yte.astype(np.int64)


class WideDropoutMLP(nn.Module):
    def __init__(self, p=0.5):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(30, 256), nn.ReLU(), nn.Dropout(p), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Dropout(p), nn.Linear(256, 6))

    def forward(self, x):
        return self.net(x)


net = NeuralNetClassifier(
    WideDropoutMLP, criterion=nn.CrossEntropyLoss, criterion__label_smoothing=0.15,
    optimizer=torch.optim.AdamW, lr=2e-3, optimizer__weight_decay=1e-2, max_epochs=30, batch_size=64,
    train_split=ValidSplit(0.2, stratified=True, random_state=11), iterator_train__shuffle=True, verbose=0,
    callbacks=[EarlyStopping(monitor="valid_loss", patience=6, load_best=True),
               LRScheduler("ReduceLROnPlateau", monitor="valid_loss", factor=0.5, patience=2)])
net.fit(Xtr, ytr)
net.history.to_file(os.path.join(LOG_DIR, "history.json"))
h = net.history
proba = net.predict_proba(Xte)
ce = float(-np.mean(np.log(np.clip(proba[np.arange(len(yte)), yte], 1e-7, 1))))
print("train_loss:", [round(float(v), 3) for v in h[:, "train_loss"]])
print("valid_loss:", [round(float(v), 3) for v in h[:, "valid_loss"]])
print("CORPUS_METRIC " + json.dumps({"test_acc": round(float((proba.argmax(1) == yte).mean()), 4), "test_ce": round(ce, 4),
                                     "valid_loss_smoothed": round(float(min(h[:, "valid_loss"])), 4),
                                     "train_loss_smoothed_dropout": round(float(h[-1, "train_loss"]), 4),
                                     "valid_acc": round(float(h[-1, "valid_acc"]), 4), "epochs": len(h), "chance_acc": round(1 / 6, 4)}))
