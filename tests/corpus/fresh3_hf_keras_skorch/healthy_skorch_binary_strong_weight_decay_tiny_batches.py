# expect:
# allow:
# forbid: *
# evidence: test_acc 0.981, test_loss 0.147 (chance 0.62); train loss plateaus at 0.148 (weight decay), valid loss flat at 0.158
# native-log: spam/history.json
# log-expect:
# log-allow:
"""skorch NeuralNetBinaryClassifier (BCEWithLogits) on a bag-of-words style 'spam' task: 200
sparse count features (already log1p'd and scaled), only 800 training emails, a wide MLP that
could easily memorise them -- held in check by strong decoupled weight decay (AdamW,
weight_decay=5.0) and dropout 0.3. Batches of 8 make the per-batch loss very noisy. The training
loss stays well above zero (regularised) and the held-out accuracy is high. The 20% valid split
is skorch's default ValidSplit.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from skorch import NeuralNetBinaryClassifier

warnings.filterwarnings("ignore")


class SpamNet(nn.Module):
    def __init__(self, n_in=200, hidden=256):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Dropout(0.3),
                                  nn.Linear(hidden, 1))

    def forward(self, X):
        return self.body(X).squeeze(-1)


def make_emails(n, rng, w):
    rates = np.exp(rng.normal(-2.0, 1.0, size=200))
    y = (rng.random(n) < 0.4).astype("float32")
    lam = rates[None, :] * np.exp(np.outer(2 * y - 1, w))
    counts = rng.poisson(lam * 3)
    return (np.log1p(counts) / 1.5).astype("float32"), y


def main():
    torch.set_num_threads(1)
    torch.manual_seed(16)
    rng = np.random.default_rng(16)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="spam_")
    os.makedirs(os.path.join(log_dir, "spam"), exist_ok=True)

    w = np.zeros(200)
    w[rng.choice(200, size=60, replace=False)] = rng.normal(0, 0.4, size=60)  # 60 indicative words
    rs = np.random.default_rng(99)
    xtr, ytr = make_emails(800, np.random.default_rng(1), w)
    xte, yte = make_emails(1000, rs, w)

    net = NeuralNetBinaryClassifier(
        SpamNet, optimizer=torch.optim.AdamW, lr=1e-3, optimizer__weight_decay=5.0,
        batch_size=8, max_epochs=15, verbose=0)
    net.fit(xtr, ytr)
    net.save_params(f_history=os.path.join(log_dir, "spam", "history.json"))

    pte = net.predict_proba(xte)[:, 1]
    eps = 1e-7
    te_loss = float(-np.mean(yte * np.log(pte + eps) + (1 - yte) * np.log(1 - pte + eps)))
    print("CORPUS_METRIC " + json.dumps({
        "test_acc": round(float(((pte > 0.5) == yte).mean()), 4), "test_loss": round(te_loss, 4),
        "train_acc": round(float((net.predict(xtr) == ytr).mean()), 4),
        "final_train_loss": round(float(net.history[-1, "train_loss"]), 4),
        "chance_acc": round(float(max(yte.mean(), 1 - yte.mean())), 4)}))


if __name__ == "__main__":
    main()
