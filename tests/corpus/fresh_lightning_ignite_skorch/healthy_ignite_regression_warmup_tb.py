# expect:
# allow:
# forbid: *
# evidence: val_mse 0.059 (original units) vs target variance 0.849 and noise floor 0.048 -> val R2 0.93; train_mse 0.056; val mse falls to its minimum at the last epoch (AdamW 6e-3, warm-up 100 it + cosine, dropout 0.05, 20 epochs)
# native-log: tb
# log-expect:
# log-allow:
"""Smooth 8-d regression (target variance ~0.85, noise variance 0.048) with pytorch-ignite:
AdamW + dropout, 100-iteration linear warm-up into cosine decay (create_lr_scheduler_with_warmup),
ignite EarlyStopping on validation MSE, logged with ignite's TensorboardLogger
(OutputHandler for train loss / val metrics, OptimizerParamsHandler for the lr)."""
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import EarlyStopping, create_lr_scheduler_with_warmup
from ignite.handlers.tensorboard_logger import (
    GradsScalarHandler, OptimizerParamsHandler, OutputHandler, TensorboardLogger)
from ignite.metrics import MeanSquaredError, RunningAverage
from ignite.utils import manual_seed

torch.set_num_threads(1)
manual_seed(31)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="reg_")
NOISE_SD = 0.22


def make_split(n, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 8, generator=g) * 2 - 1
    y = (torch.sin(2.5 * x[:, 0]) + x[:, 1] * x[:, 2] + 0.8 * x[:, 3] ** 2
         - 0.5 * x[:, 4] + 0.3 * torch.cos(3 * x[:, 5] * x[:, 6]))
    y = y + NOISE_SD * torch.randn(n, generator=g)
    return x, y.unsqueeze(1)


def main():
    xtr, ytr = make_split(3000, seed=1)
    xva, yva = make_split(1000, seed=2)
    mu, sd = ytr.mean(), ytr.std()                     # standardise the target with train stats
    train_loader = DataLoader(TensorDataset(xtr, (ytr - mu) / sd), batch_size=32, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, (yva - mu) / sd), batch_size=500)

    model = nn.Sequential(nn.Linear(8, 128), nn.SiLU(), nn.Dropout(0.05),
                          nn.Linear(128, 128), nn.SiLU(), nn.Dropout(0.05), nn.Linear(128, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-3, weight_decay=1e-4)
    trainer = create_supervised_trainer(model, optimizer, nn.MSELoss())
    RunningAverage(output_transform=lambda x: x).attach(trainer, "loss_avg")

    max_epochs = 20
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_epochs * len(train_loader) - 100, eta_min=3e-5)
    scheduler = create_lr_scheduler_with_warmup(cosine, warmup_start_value=1e-5, warmup_duration=100)
    trainer.add_event_handler(Events.ITERATION_STARTED, scheduler)

    evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError()})
    train_evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError()})

    @trainer.on(Events.EPOCH_COMPLETED)
    def run_validation(engine):
        evaluator.run(val_loader)
        train_evaluator.run(DataLoader(train_loader.dataset, batch_size=1000))

    stopper = EarlyStopping(patience=4, score_function=lambda e: -e.state.metrics["mse"], trainer=trainer)
    evaluator.add_event_handler(Events.COMPLETED, stopper)

    tb = TensorboardLogger(log_dir=os.path.join(LOG_DIR, "tb"))
    tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=10), tag="training",
                             output_transform=lambda loss: {"batch_loss": loss}, metric_names=["loss_avg"])
    tb.attach_opt_params_handler(trainer, event_name=Events.ITERATION_STARTED(every=10), optimizer=optimizer)
    tb.attach(trainer, log_handler=GradsScalarHandler(model, reduction=torch.norm), event_name=Events.EPOCH_COMPLETED)
    for tag, ev in (("validation", evaluator), ("train_eval", train_evaluator)):
        tb.attach_output_handler(ev, event_name=Events.EPOCH_COMPLETED, tag=tag, metric_names=["mse"],
                                 global_step_transform=lambda *_: trainer.state.iteration)

    trainer.run(train_loader, max_epochs=max_epochs)
    tb.close()

    model.eval()
    with torch.no_grad():
        pred = model(xva) * sd + mu
        pred_tr = model(xtr) * sd + mu
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(nn.functional.mse_loss(pred, yva).item(), 4),
        "train_mse": round(nn.functional.mse_loss(pred_tr, ytr).item(), 4),
        "target_var": round(yva.var().item(), 4),
        "noise_var": round(NOISE_SD ** 2, 4),
        "val_r2": round(1 - nn.functional.mse_loss(pred, yva).item() / yva.var().item(), 4),
        "epochs_run": trainer.state.epoch,
    }))


if __name__ == "__main__":
    main()
