# expect:
# allow:
# forbid: *
# evidence: test_acc 0.911, test_loss 0.209 (chance 0.38) after 15 epochs of fine-tuning with body lr 1e-4 from 400 labels; valid loss falls every epoch (0.63 -> 0.16)
# native-log: finetune/history.json
# log-expect:
# log-allow:
"""Low-lr fine-tuning with skorch. A feature extractor is first pre-trained (plain PyTorch loop)
on a large source task (8-way labels derived from a shared latent structure, 6000 examples).
Then a skorch NeuralNetClassifier fine-tunes it on a small target task (3 classes, 400 labelled
examples, same inputs/latents): a fresh head with lr 3e-3 and the pre-trained body at lr 1e-4 via
optimizer__param_groups (discriminative learning rates), a handful of epochs. The body barely
moves -- by design -- and the held-out accuracy is high from the first epochs.
"""
import json
import os
import tempfile
import warnings

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from skorch import NeuralNetClassifier

warnings.filterwarnings("ignore")

D_IN, D_LAT = 24, 6


class Body(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(D_IN, 64), nn.GELU(), nn.Linear(64, 32), nn.GELU())

    def forward(self, x):
        return self.net(x)


class FineTuneNet(nn.Module):
    def __init__(self, body_state=None, n_out=3):
        super().__init__()
        self.body = Body()
        if body_state is not None:
            self.body.load_state_dict(body_state)
        self.head = nn.Linear(32, n_out)

    def forward(self, X):
        return self.head(self.body(X))


def make(n, rng, mix):
    lat = rng.standard_normal((n, D_LAT))
    x = np.tanh(lat @ mix) + 0.05 * rng.standard_normal((n, D_IN))
    return x.astype("float32"), lat


def main():
    torch.set_num_threads(1)
    torch.manual_seed(20)
    rng = np.random.default_rng(20)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="finetune_")
    os.makedirs(os.path.join(log_dir, "finetune"), exist_ok=True)
    mix = rng.standard_normal((D_LAT, D_IN)) / np.sqrt(D_LAT) * 1.5

    # --- pre-training on the source task (8 classes: which side of 3 latent hyperplanes, at 2 offsets)
    xs, ls = make(6000, rng, mix)
    s_ = ls[:, 0] + ls[:, 1]
    ys = (4 * (s_ > 0.7) + 2 * (s_ > -0.7) + (ls[:, 2] - ls[:, 3] > 0)).astype("int64")
    body, src_head = Body(), nn.Linear(32, 8)
    opt = torch.optim.Adam(list(body.parameters()) + list(src_head.parameters()), lr=3e-3)
    xs_t, ys_t = torch.tensor(xs), torch.tensor(ys)
    for _ in range(6):
        perm = torch.randperm(len(ys_t))
        for i in range(0, len(perm), 128):
            idx = perm[i:i + 128]
            loss = F.cross_entropy(src_head(body(xs_t[idx])), ys_t[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        src_acc = float((src_head(body(xs_t)).argmax(1) == ys_t).float().mean())

    # --- fine-tuning on the small target task (3 classes from latents 0 and 1)
    def target(lat):
        return np.digitize(lat[:, 0] + lat[:, 1], [-0.7, 0.7]).astype("int64")
    xt, lt = make(400, rng, mix)
    xte, lte = make(2000, rng, mix)
    yt, yte = target(lt), target(lte)

    net = NeuralNetClassifier(
        FineTuneNet, module__body_state=body.state_dict(), criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam, lr=3e-3, optimizer__param_groups=[("body.*", {"lr": 1e-4})],
        batch_size=16, max_epochs=15, verbose=0)
    net.fit(xt, yt)
    net.save_params(f_history=os.path.join(log_dir, "finetune", "history.json"))

    proba = net.predict_proba(xte)
    te_loss = float(F.nll_loss(torch.log(torch.tensor(proba) + 1e-9), torch.tensor(yte)))
    print("CORPUS_METRIC " + json.dumps({
        "test_acc": round(float((proba.argmax(1) == yte).mean()), 4), "test_loss": round(te_loss, 4),
        "final_train_loss": round(float(net.history[-1, "train_loss"]), 4),
        "source_task_acc": round(src_acc, 4),
        "chance_acc": round(float(np.bincount(yte).max() / len(yte)), 4)}))


if __name__ == "__main__":
    main()
