# expect:
# allow: high_variance
# forbid: *
# evidence: 4-class target (majority 0.30), 300 train + 100 valid; pretrained body, body lr 3e-4 / head 3e-3, body frozen 3 epochs, StepLR -> held-out test_acc 0.879, test_loss 0.292; valid_loss falls to its minimum near the end (0.386). Reference: the same net trained from scratch on 6000 target examples reaches 0.918, so 0.88 from 300 is near the ceiling
# native-log: history.json
# log-expect:
# log-allow: high_variance
"""Fine-tuning with skorch. A feature extractor is pretrained (plain PyTorch loop) on a large
16-class "source" task; the skorch NeuralNetClassifier then fine-tunes it on a small 4-class
"target" task built on the same latent factors: body at lr 3e-4, new head at 3e-3 (skorch
param_groups), body frozen for the first 3 epochs (skorch Freezer/Unfreezer pattern via a
callback), StepLR, and a 25% ValidSplit. Curves are short and flat-ish by design."""
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import accuracy_score, log_loss
from skorch import NeuralNetClassifier
from skorch.callbacks import Callback, EpochScoring, LRScheduler
from skorch.dataset import ValidSplit

torch.set_num_threads(1)
torch.manual_seed(0)
np.random.seed(0)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="skorch_ft_")
D_LATENT, D_IN = 6, 32
MIX = torch.randn(D_LATENT, D_IN, generator=torch.Generator().manual_seed(100)) / np.sqrt(D_LATENT)


def observe(z, gen):
    return torch.tanh(z @ MIX * 1.5) + 0.15 * torch.randn(z.shape[0], D_IN, generator=gen)


def source_task(n):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(n, D_LATENT, generator=g)
    proj = torch.randn(D_LATENT, 16, generator=g)
    return observe(z, g), (z @ proj).argmax(1)


def target_task(n, seed):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, D_LATENT, generator=g)
    proj = torch.randn(D_LATENT, 4, generator=torch.Generator().manual_seed(55))
    x = observe(z, g)
    return x.numpy().astype(np.float32), (z @ proj).argmax(1).numpy().astype(np.int64)


class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D_IN, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())

    def forward(self, x):
        return self.net(x)


class Classifier(nn.Module):
    def __init__(self, n_classes=4):
        super().__init__()
        self.body = Body()
        self.head = nn.Linear(64, n_classes)

    def forward(self, X):
        return self.head(self.body(X))


def pretrain_body():
    x, y = source_task(6000)
    body, head = Body(), nn.Linear(64, 16)
    opt = torch.optim.Adam(list(body.parameters()) + list(head.parameters()), lr=2e-3)
    for epoch in range(6):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(head(body(x[idx])), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return body.state_dict()


class FreezeBodyFirstEpochs(Callback):
    """Keep the pretrained body frozen while the new head warms up."""

    def __init__(self, n_epochs=3):
        self.n_epochs = n_epochs

    def on_epoch_begin(self, net, **kwargs):
        frozen = len(net.history) <= self.n_epochs
        for p in net.module_.body.parameters():
            p.requires_grad_(not frozen)


def main():
    pretrained = pretrain_body()
    X_train, y_train = target_task(400, seed=2)
    X_test, y_test = target_task(2000, seed=3)

    net = NeuralNetClassifier(
        Classifier,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=3e-4,
        optimizer__param_groups=[("head.*", {"lr": 3e-3})],
        max_epochs=25,
        batch_size=16,
        iterator_train__shuffle=True,
        train_split=ValidSplit(0.25, stratified=True, random_state=0),
        callbacks=[
            ("freeze", FreezeBodyFirstEpochs(3)),
            ("step", LRScheduler(policy=torch.optim.lr_scheduler.StepLR, step_size=10, gamma=0.5)),
            ("train_acc", EpochScoring("accuracy", on_train=True, lower_is_better=False, name="train_acc")),
        ],
        verbose=1,
    )
    net.initialize()
    net.module_.body.load_state_dict(pretrained)
    net.partial_fit(X_train, y_train)
    net.save_params(f_history=os.path.join(LOG_DIR, "history.json"))

    proba = net.predict_proba(X_test)
    print("CORPUS_METRIC " + json.dumps({
        "test_loss": round(float(log_loss(y_test, proba, labels=[0, 1, 2, 3])), 4),
        "test_acc": round(float(accuracy_score(y_test, proba.argmax(1))), 4),
        "train_loss": round(float(net.history[-1, "train_loss"]), 4),
        "valid_acc_last": round(float(net.history[-1, "valid_acc"]), 4),
        "chance_acc": round(float(np.bincount(y_test).max() / len(y_test)), 4),
    }))


if __name__ == "__main__":
    main()
