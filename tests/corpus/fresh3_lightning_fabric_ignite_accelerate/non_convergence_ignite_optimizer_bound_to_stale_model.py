# expect: non_convergence
# allow: learning_rate_too_low, high_bias
# forbid: *
# evidence: planted val_loss 1.087 (~ln 3), val_acc 0.398 = majority class, flat all run; control (optimizer on the trained model) val_loss 0.226, val_acc 0.908
# control: --control
# native-log: wine_metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
"""3-class 'wine grade' classification from 11 standardised chemistry features, Ignite
create_supervised_trainer. The script builds the model and the optimizer, then -- to "make the init
reproducible" -- re-seeds and builds the model again *after* the optimizer was created. The trainer
gets the new model and the old optimizer: gradients are computed on the new model's parameters but
opt.step() updates the orphaned ones, so the model that is trained and evaluated never changes. The
loss stays flat at its initial value (~ln 3) for the whole run. (A common variant of this bug is
re-creating/wrapping the model after building the optimizer.)
--control builds the optimizer on the model that is actually trained (only change).
Metrics go to a CSV written by event handlers.
"""
import argparse
import csv
import json
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
D = 11


def wines(n, g, proj):
    x = torch.randn(n, D, generator=g)
    s = x @ proj + 0.25 * torch.tanh(x[:, 0] * x[:, 1]) + 0.15 * torch.randn(n, generator=g)
    y = (s > -0.5).long() + (s > 0.6).long()
    return x, y


def build():
    return nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    manual_seed(61)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="wine_")
    os.makedirs(log_dir, exist_ok=True)
    g = torch.Generator().manual_seed(61)
    proj = torch.randn(D, generator=g)
    proj = proj / proj.norm()
    xtr, ytr = wines(2000, g, proj)
    xva, yva = wines(800, g, proj)

    model = build()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    manual_seed(61)          # "so that the init is the same as in the baseline run"
    model = build()
    if args.control:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

    trainer = create_supervised_trainer(model, optimizer, nn.CrossEntropyLoss())
    evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(F.cross_entropy)})
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=800)
    fh = open(os.path.join(log_dir, "wine_metrics.csv"), "w", newline="")
    wr = csv.writer(fh)
    wr.writerow(["iteration", "epoch", "train_loss", "val_loss", "val_acc", "lr"])

    @trainer.on(Events.ITERATION_COMPLETED(every=4))
    def log_it(engine):
        wr.writerow([engine.state.iteration, engine.state.epoch, f"{engine.state.output:.5f}", "", "", 0.05])

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        evaluator.run(val_dl)
        m = evaluator.state.metrics
        wr.writerow([engine.state.iteration, engine.state.epoch, "", f"{m['loss']:.5f}", f"{m['acc']:.4f}", 0.05])

    trainer.run(train_dl, max_epochs=12)
    fh.close()
    model.eval()
    with torch.no_grad():
        lv, lt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(F.cross_entropy(lv, yva).item(), 4),
        "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4),
        "train_loss": round(F.cross_entropy(lt, ytr).item(), 4),
        "majority_acc": round(torch.bincount(yva).max().item() / len(yva), 4),
        "chance_acc": 0.3333,
    }))


if __name__ == "__main__":
    main()
