# expect: unnormalized_inputs
# allow: non_convergence, exploding_gradients, high_bias
# forbid: *
# evidence: planted (raw units, column std 0.11 .. 21000) val_acc 0.585 (majority 0.546), val_loss 12.2 and erratic (5.6-58 between epochs); control (same net, Adam 1e-3, columns standardised) val_acc 0.870, val_loss 0.264
# control: --control
# native-log: metrics.csv
# log-expect:
# log-allow: unnormalized_inputs, non_convergence, high_bias, learning_rate_too_high
"""Loan-default classifier on raw tabular features (income in $, balance in $, age in years,
debt ratio in [0,1], number of open accounts, months employed), trained with pytorch-ignite.

The planted bug: the features go into the network in their raw units (income ~6e4, debt ratio
~0.3), so the first layer is dominated by the dollar columns. --control standardises each column
with the training mean/std (the only difference). The log is a hand-written CSV: one row every
10 iterations with the running-average loss, one row per epoch with validation metrics."""
import argparse
import csv
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.metrics import Accuracy, Loss, RunningAverage
from ignite.utils import manual_seed

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="loan_")
#                   income   balance  age   debt_ratio  accounts  months_employed
MEANS = torch.tensor([62000.0, 14000.0, 41.0, 0.32, 5.0, 70.0])
SDS = torch.tensor([21000.0, 6500.0, 12.0, 0.11, 2.2, 45.0])


def applicants(n, seed):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(n, 6, generator=g)
    # default risk depends mostly on the small-scale columns (debt ratio, accounts, employment)
    logit = (-0.8 * z[:, 0] + 0.6 * z[:, 1] - 0.3 * z[:, 2] + 2.2 * z[:, 3]
             + 1.2 * z[:, 4] * (z[:, 3] > 0) - 1.4 * z[:, 5] + 0.8 * z[:, 3] * z[:, 5])
    y = (torch.rand(n, generator=g) < torch.sigmoid(1.6 * logit)).float()
    return MEANS + SDS * z, y.unsqueeze(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="standardise the columns")
    args = ap.parse_args()
    manual_seed(8)

    xtr, ytr = applicants(3000, seed=1)
    xva, yva = applicants(1000, seed=2)
    if args.control:
        mu, sd = xtr.mean(0), xtr.std(0)
        xtr, xva = (xtr - mu) / sd, (xva - mu) / sd

    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=500)

    model = nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.BCEWithLogitsLoss()
    trainer = create_supervised_trainer(model, optimizer, criterion)
    RunningAverage(output_transform=lambda loss: loss).attach(trainer, "loss_avg")

    def thresholded(output):
        y_pred, y = output
        return (y_pred > 0).long(), y.long()

    metrics = {"acc": Accuracy(output_transform=thresholded), "loss": Loss(criterion)}
    evaluator = create_supervised_evaluator(model, metrics=metrics)

    fh = open(os.path.join(LOG_DIR, "metrics.csv"), "w", newline="")
    writer = csv.writer(fh)
    writer.writerow(["epoch", "iteration", "train_loss", "val_loss", "val_acc", "lr"])

    @trainer.on(Events.ITERATION_COMPLETED(every=10))
    def log_train(engine):
        writer.writerow([engine.state.epoch, engine.state.iteration,
                         f"{engine.state.metrics['loss_avg']:.6g}", "", "", optimizer.param_groups[0]["lr"]])

    @trainer.on(Events.EPOCH_COMPLETED)
    def log_val(engine):
        evaluator.run(val_loader)
        m = evaluator.state.metrics
        writer.writerow([engine.state.epoch, engine.state.iteration, "", f"{m['loss']:.6g}", f"{m['acc']:.4f}",
                         optimizer.param_groups[0]["lr"]])
        fh.flush()

    trainer.run(train_loader, max_epochs=25)
    fh.close()

    evaluator.run(val_loader)
    with torch.no_grad():
        train_loss = criterion(model(xtr), ytr).item()
        majority = max(yva.mean().item(), 1 - yva.mean().item())
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(evaluator.state.metrics["loss"], 4),
        "val_acc": round(evaluator.state.metrics["acc"], 4),
        "train_loss": round(train_loss, 4),
        "chance_acc": round(majority, 4),
        "input_col_std_range": [round(v, 3) for v in (xtr.std(0).min().item(), xtr.std(0).max().item())],
    }))


if __name__ == "__main__":
    main()
