# expect:
# allow:
# forbid: *
# evidence: 5 noisy 20x20 glyph classes, skorch CNN with SGD-nesterov + OneCycle + best-epoch checkpoint: test acc 0.993 (chance 0.2), test loss 0.020
# native-log: glyph_history.json
# log-expect:
# log-allow:
"""Recognise 5 hand-drawn-ish glyphs (O, X, T, L, H) on 20x20 canvases with a small CNN in skorch.

Random stroke width, position, scale, rotation jitter and pixel noise; Checkpoint keeps the best epoch.
"""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from skorch import NeuralNetClassifier
from skorch.callbacks import Checkpoint, LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(9)
R = np.random.default_rng(9)
SIZE = 20
GLYPHS = "OXTLH"
grid = np.stack(np.mgrid[0:SIZE, 0:SIZE], -1).reshape(-1, 2).astype(float)


def seg_dist(p, a, b):
    ab = b - a
    t = np.clip(((p - a) @ ab) / (ab @ ab), 0, 1)
    return np.linalg.norm(p - (a + t[:, None] * ab), axis=1)


def draw(g):
    c = np.array([10, 10]) + R.uniform(-2.5, 2.5, 2)
    s = R.uniform(4.5, 7)
    th = R.uniform(-0.3, 0.3)
    rot = np.array([[np.cos(th), -np.sin(th)], [np.sin(th), np.cos(th)]])
    P = lambda x, y: c + s * rot @ np.array([x, y])
    if g == "O":
        d = np.abs(np.linalg.norm(grid - c, axis=1) - s)
    else:
        segs = {"X": [((-1, -1), (1, 1)), ((-1, 1), (1, -1))],
                "T": [((-1, -1), (1, -1)), ((0, -1), (0, 1))],
                "L": [((-1, -1), (-1, 1)), ((-1, 1), (1, 1))],
                "H": [((-1, -1), (-1, 1)), ((1, -1), (1, 1)), ((-1, 0), (1, 0))]}[g]
        d = np.min([seg_dist(grid, P(*a), P(*b)) for a, b in segs], axis=0)
    w = R.uniform(0.8, 1.6)
    img = np.clip(1.5 - d / w, 0, 1).reshape(SIZE, SIZE)
    return img + R.normal(0, 0.3, img.shape)


y = R.integers(0, 5, 2000)
X = np.stack([draw(GLYPHS[k]) for k in y])[:, None].astype(np.float32)
X = (X - X[:1600].mean()) / X[:1600].std()
X_train, y_train, X_test, y_test = X[:1600], y[:1600].astype(np.int64), X[1600:], y[1600:].astype(np.int64)
EPOCHS = 8
STEPS_PER_EPOCH = int(np.ceil(len(X_train) * 0.85 / 32)) + 1


class GlyphCNN(nn.Module):
    def __init__(self, n_classes=5):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 5 * 5, 64), nn.ReLU(), nn.Dropout(0.25), nn.Linear(64, n_classes))

    def forward(self, x):
        return self.net(x)


ckpt_dir = tempfile.mkdtemp()
clf = NeuralNetClassifier(
    GlyphCNN, criterion=nn.CrossEntropyLoss, optimizer=torch.optim.SGD, optimizer__momentum=0.9,
    optimizer__nesterov=True, optimizer__weight_decay=5e-4, lr=0.05, batch_size=32, max_epochs=EPOCHS,
    train_split=ValidSplit(0.15, stratified=True, random_state=1),
    callbacks=[LRScheduler(policy=torch.optim.lr_scheduler.OneCycleLR, max_lr=0.05, total_steps=EPOCHS * STEPS_PER_EPOCH, step_every="batch"),
               Checkpoint(monitor="valid_acc_best", dirname=ckpt_dir, load_best=True)],
    iterator_train__shuffle=True, verbose=0,
)
clf.fit(X_train, y_train)
clf.history.to_file(os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "glyph_history.json"))

test_acc = float((clf.predict(X_test) == y_test).mean())
proba = clf.predict_proba(X_test)
test_loss = float(-np.log(proba[np.arange(len(y_test)), y_test] + 1e-12).mean())
last = clf.history[-1]
print(f"train_loss {last['train_loss']:.3f} valid_loss {last['valid_loss']:.3f} valid_acc {last['valid_acc']:.3f}; test acc {test_acc:.3f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(test_loss, 4), "val_acc": round(test_acc, 4),
                                      "train_loss": round(float(last["train_loss"]), 4), "chance_acc": 0.2}))
