# expect: overfitting
# allow: high_variance
# forbid: *
# evidence: planted (120 rows) train_loss 0.00 / train_acc 1.0, val_loss rises 0.65 (epoch 5) -> 1.84, val_acc 0.678; control (2400 rows, same 600 steps) val_loss 0.784, val_acc 0.772 (majority 0.50)
# control: --control
# native-log: credit_metrics.csv
# log-expect: overfitting
# log-allow: high_variance
"""Credit-default style tabular task (40 standardised features, 8 informative through a mildly
non-linear score, 10% label noise). A `--debug-subset 120` default that was meant for smoke tests
was left on, so the wide MLP (40-512-512-2, Adam, no regularisation) trains on 120 rows for 600
optimiser steps: training loss -> ~0 while validation loss bottoms out early and then climbs
steadily; held-out accuracy ends far below what the same model gets from the full data.
create_supervised_trainer / create_supervised_evaluator on train and validation sets each epoch,
metrics written to a CSV by an EPOCH_COMPLETED handler.
--control trains on the full 2400-row training set (same model, optimiser and the same number of
optimiser steps, 600); nothing else changes.
"""
import argparse
import csv
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.metrics import Accuracy, Loss
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")
D = 40


def credit(n, g, w):
    x = torch.randn(n, D, generator=g)
    s = x[:, :8] @ w + 0.5 * x[:, 0] * x[:, 1] - 0.4 * x[:, 2] ** 2 + 0.4
    y = (s > 0).long()
    flip = torch.rand(n, generator=g) < 0.10
    y[flip] = 1 - y[flip]
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    manual_seed(53)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="credit_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(53)
    w = torch.randn(8, generator=g)
    xtr, ytr = credit(2400, g, w)
    xva, yva = credit(1000, g, w)
    debug_subset = None if args.control else 120
    if debug_subset:
        xtr, ytr = xtr[:debug_subset], ytr[:debug_subset]
    bs, total_steps = 32, 600
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=bs, shuffle=True)
    epochs = math.ceil(total_steps / len(train_dl))
    model = nn.Sequential(nn.Linear(D, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    trainer = create_supervised_trainer(model, opt, nn.CrossEntropyLoss())
    metrics = {"acc": Accuracy(), "loss": Loss(F.cross_entropy)}
    ev_train = create_supervised_evaluator(model, metrics=metrics)
    ev_val = create_supervised_evaluator(model, metrics=metrics)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=1000)
    train_eval_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=1000)
    every = max(1, epochs // 30)
    fh = open(os.path.join(log_dir, "credit_metrics.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["epoch", "iteration", "train_loss", "train_acc", "val_loss", "val_acc"])

    @trainer.on(Events.EPOCH_COMPLETED(every=every))
    def log_epoch(engine):
        ev_train.run(train_eval_dl)
        ev_val.run(val_dl)
        t, v = ev_train.state.metrics, ev_val.state.metrics
        wr.writerow([engine.state.epoch, engine.state.iteration, f"{t['loss']:.5f}", f"{t['acc']:.4f}",
                     f"{v['loss']:.5f}", f"{v['acc']:.4f}"])

    trainer.run(train_dl, max_epochs=epochs, epoch_length=min(len(train_dl), total_steps))
    fh.close()
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "train_acc": round((lt.argmax(1) == ytr).float().mean().item(), 4),
        "n_train": len(xtr),
        "chance_acc": round(max(yva.float().mean().item(), 1 - yva.float().mean().item()), 4),
    }))


if __name__ == "__main__":
    main()
