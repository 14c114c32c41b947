"""skorch: small CNN on synthetic 10x10 "digit-like" glyphs, fitted hard.

Each of 5 classes is a fixed random 10x10 stroke template; samples are shifted by up to one
pixel, scaled in brightness and covered with noise. OneCycleLR stepped per batch, gradient-norm
clipping callback, Adam; trained until the training loss is near zero while the held-out accuracy
stays high.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out acc 0.92 (chance 0.2), held-out loss 0.26, while train_loss -> 0.002; valid_loss reaches 0.27 by epoch 7 and then sits flat at 0.28-0.29 (valid_acc 0.91-0.92) as the one-cycle lr anneals
# native-log: cnn_history.json
# log-expect:
# log-allow:
import os
import sys
import json
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(1)
from skorch import NeuralNetClassifier
from skorch.callbacks import GradientNormClipping, LRScheduler
from skorch.dataset import ValidSplit

LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG, exist_ok=True)
rs = np.random.RandomState(12)
templates = (rs.rand(5, 10, 10) < 0.3).astype(np.float32)


def glyphs(n):
    y = rs.randint(0, 5, n)
    X = np.empty((n, 1, 10, 10), np.float32)
    for i in range(n):
        t = np.roll(templates[y[i]], shift=(rs.randint(-1, 2), rs.randint(-1, 2)), axis=(0, 1))
        X[i, 0] = t * rs.uniform(0.6, 1.4) + rs.normal(0, 0.6, (10, 10))
    return X, y.astype(np.int64)


X_train, y_train = glyphs(2000)
X_test, y_test = glyphs(600)


class GlyphCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 5 * 5, 5)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(x.flatten(1))


EPOCHS, BS = 15, 50
steps_per_epoch = int(np.ceil(len(X_train) * 0.85 / BS))
net = NeuralNetClassifier(
    GlyphCNN,
    criterion=nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=2e-3,
    batch_size=BS,
    max_epochs=EPOCHS,
    train_split=ValidSplit(0.15, random_state=0),
    callbacks=[
        GradientNormClipping(gradient_clip_value=1.0),
        LRScheduler(policy=torch.optim.lr_scheduler.OneCycleLR, max_lr=5e-3,
                    epochs=EPOCHS, steps_per_epoch=steps_per_epoch, step_every="batch"),
    ],
    iterator_train__shuffle=True,
)
net.fit(X_train, y_train)
net.history.to_file(os.path.join(LOG, "cnn_history.json"))
proba = net.predict_proba(X_test)
acc = float((proba.argmax(1) == y_test).mean())
loss = float(-np.log(proba[np.arange(len(y_test)), y_test] + 1e-12).mean())
print("CORPUS_METRIC " + json.dumps({"val_loss": round(loss, 4), "val_acc": round(acc, 4),
                                     "train_loss": round(float(net.history[-1, "train_loss"]), 4),
                                     "chance_acc": 0.2}))
