# expect: learning_rate_too_high
# allow: non_convergence, dead_units, high_bias, exploding_gradients
# forbid: *
# evidence: planted (Adam lr 0.05) train_loss stuck at 1.0-1.4 and valid_loss jumping 1.25-3.3 for 15 epochs, test_acc 0.528, test_loss 1.34 (chance 0.10); control (Adam lr 1e-3, nothing else changed) test_acc 0.948, test_loss 0.142
# control: --control
# native-log: history.json
# log-expect: learning_rate_too_high
# log-allow: non_convergence, high_bias
"""skorch NeuralNetClassifier on synthetic 8x8 "glyphs" (10 prototype bitmaps, random shifts,
pixel noise), MLP with Adam. Planted: lr=LR_PLANTED, copied from an SGD config; --control uses
Adam's usual 1e-3. 20% ValidSplit, EpochScoring for macro-F1, history saved with save_params."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import accuracy_score, log_loss
from skorch import NeuralNetClassifier
from skorch.callbacks import EpochScoring
from skorch.dataset import ValidSplit

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_lr_")
LR_PLANTED = 0.05
LR_CONTROL = 1e-3


def glyphs(n, seed):
    protos = (np.random.default_rng(0).random((10, 8, 8)) < 0.35).astype(np.float32)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    imgs = protos[y]
    shifts = rng.integers(-1, 2, size=(n, 2))
    imgs = np.stack([np.roll(im, tuple(s), axis=(0, 1)) for im, s in zip(imgs, shifts)])
    imgs = imgs + rng.normal(0, 0.45, imgs.shape)
    return imgs.reshape(n, 64).astype(np.float32), y.astype(np.int64)


class GlyphMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, X):
        return self.seq(X)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="Adam lr 1e-3 instead of LR_PLANTED")
    args = ap.parse_args()
    torch.manual_seed(0)

    X_train, y_train = glyphs(3000, seed=1)
    X_test, y_test = glyphs(1500, seed=2)
    mu, sd = X_train.mean(0), X_train.std(0)
    X_train, X_test = (X_train - mu) / sd, (X_test - mu) / sd

    net = NeuralNetClassifier(
        GlyphMLP,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=LR_CONTROL if args.control else LR_PLANTED,
        max_epochs=15,
        batch_size=64,
        iterator_train__shuffle=True,
        train_split=ValidSplit(0.2, stratified=True, random_state=0),
        callbacks=[("valid_f1", EpochScoring("f1_macro", lower_is_better=False))],
        verbose=1,
    )
    net.fit(X_train, y_train)
    net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

    proba = net.predict_proba(X_test)
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(float(log_loss(y_test, np.clip(proba, 1e-7, 1), labels=list(range(10)))), 4),
        "test_acc": round(float(accuracy_score(y_test, proba.argmax(1))), 4),
        "train_loss_last": round(float(net.history[-1, "train_loss"]), 4),
        "chance_acc": 0.1,
    }))


if __name__ == "__main__":
    main()
