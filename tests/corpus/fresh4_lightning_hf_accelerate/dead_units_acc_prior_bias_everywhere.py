"""Click-through prediction (~5% positives), HF accelerate loop, JSONL log.

Following the "init the output bias to the class prior" advice, init_weights()
sets bias = log(p/(1-p)) ~ -2.9 ... but it is applied with model.apply(), so every
nn.Linear -- including the ReLU hidden layers -- starts with bias -2.9.  With
standardised inputs and default-scale weights almost every hidden unit is
negative for every example and never fires.  --control applies the prior bias
to the output layer only.
"""
# expect: dead_units
# allow: non_convergence, high_bias, vanishing_gradients, poor_initialization
# forbid: *
# evidence: control (prior bias on head only) val AUC 0.88 / val_loss 0.17, 0.5% dead hidden units; planted (bias on every layer) val AUC 0.48 / val_loss 0.23 (constant-prior loss ~0.22), 99% of hidden units never fire on the validation set
# control: --control
# native-log: train_log.jsonl
# log-expect: non_convergence
# log-allow: high_bias, dead_units
import argparse
import json
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from accelerate import Accelerator
from accelerate.utils import set_seed

torch.set_num_threads(1)


def auc(scores, labels):
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = labels == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def make_impressions(n, d=24, seed=0):
    g = np.random.default_rng(seed)
    X = g.normal(size=(n, d)).astype(np.float32)
    w = g.normal(size=d) * (g.random(d) < 0.5)
    z = X @ w * 0.6 + 0.8 * X[:, 0] * X[:, 1] - 4.5
    y = (g.random(n) < 1 / (1 + np.exp(-z))).astype(np.float32)
    return X, y


def init_weights(m, prior):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5))
        nn.init.constant_(m.bias, math.log(prior / (1 - prior)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    ap.add_argument("--epochs", type=int, default=8)
    opt = ap.parse_args()
    set_seed(0)
    acc = Accelerator(cpu=True)
    X, y = make_impressions(10000, seed=1)
    Xtr, ytr, Xva, yva = X[:8000], y[:8000], X[8000:], y[8000:]
    prior = float(ytr.mean())
    net = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 1))
    if opt.control:
        init_weights(net[-1], prior)
    else:
        net.apply(lambda m: init_weights(m, prior))
    optim = torch.optim.Adam(net.parameters(), lr=1e-3)
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(Xtr), torch.tensor(ytr)),
                                     batch_size=128, shuffle=True)
    net, optim, dl = acc.prepare(net, optim, dl)
    crit = nn.BCEWithLogitsLoss()
    log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "train_log.jsonl")
    xv, yv = torch.tensor(Xva), torch.tensor(yva)
    step = 0
    with open(log_path, "w") as log:
        for ep in range(opt.epochs):
            net.train()
            for xb, yb in dl:
                loss = crit(net(xb).squeeze(1), yb)
                optim.zero_grad()
                acc.backward(loss)
                optim.step()
                step += 1
                if step % 20 == 0:
                    log.write(json.dumps({"step": step, "epoch": ep, "train_loss": loss.item(), "lr": 1e-3}) + "\n")
            net.eval()
            with torch.no_grad():
                h1 = net[1](net[0](xv))
                h2 = net[3](net[2](h1))
                logit = net[4](h2).squeeze(1)
                vloss = crit(logit, yv).item()
            dead = float(torch.cat([(h1 > 0).sum(0) == 0, (h2 > 0).sum(0) == 0]).float().mean())
            vauc = auc(logit.numpy(), yva)
            log.write(json.dumps({"step": step, "epoch": ep, "val_loss": vloss, "val_auc": vauc,
                                  "dead_frac": dead}) + "\n")
            acc.print(f"epoch {ep} val_loss {vloss:.4f} auc {vauc:.3f} dead {dead:.2f}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(vloss, 4), "val_auc": round(vauc, 4),
                                         "train_loss": round(loss.item(), 4), "dead_hidden_frac": round(dead, 3),
                                         "chance_auc": 0.5, "positive_rate": round(prior, 4)}))


if __name__ == "__main__":
    main()
