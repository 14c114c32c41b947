# expect:
# allow:
# forbid: *
# evidence: val_mse 0.093 vs target variance 1.05 and noise floor 0.086 (R^2 0.91)
# native-log: load_tb
# log-expect:
# log-allow:
"""Ignite create_supervised_trainer / create_supervised_evaluator on an 'hourly energy load'
regression: inputs are hour-of-day and day-of-week encoded as sin/cos, temperature, humidity and
a holiday flag (standardised); the target (standardised load) has daily/weekly seasonality and a
temperature U-shape plus noise (variance 0.04). An MLP with SGD+momentum under a PiecewiseLinear lr
schedule (linear warm-up 0 -> 0.05 over 100 iterations, then linear decay to 0.002), attached per
iteration. TensorboardLogger with OutputHandler (training loss, validation mse) and
OptimizerParamsHandler (lr). native-log is the TensorBoard folder.
"""
import json
import math
import os
import tempfile
import warnings

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import PiecewiseLinear
from ignite.handlers.tensorboard_logger import OptimizerParamsHandler, OutputHandler, TensorboardLogger
from ignite.metrics import Loss, MeanSquaredError
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")


def load_data(n, g):
    hour = torch.randint(0, 24, (n,), generator=g).float()
    dow = torch.randint(0, 7, (n,), generator=g).float()
    temp = 15 + 10 * torch.randn(n, generator=g)
    hum = torch.rand(n, generator=g)
    hol = (torch.rand(n, generator=g) < 0.05).float()
    work = ((dow < 5).float() * (1 - hol))
    load = 1.0 + 0.8 * torch.exp(-((hour - 9) / 3) ** 2) * work + 0.6 * torch.exp(-((hour - 19) / 2.5) ** 2) \
        + 0.004 * (temp - 18) ** 2 + 0.2 * hum - 0.3 * (1 - work) + 0.2 * torch.randn(n, generator=g)
    x = torch.stack([torch.sin(2 * math.pi * hour / 24), torch.cos(2 * math.pi * hour / 24),
                     torch.sin(2 * math.pi * dow / 7), torch.cos(2 * math.pi * dow / 7),
                     (temp - 15) / 10, (hum - 0.5) / 0.29, hol, (dow < 5).float()], 1)
    return x, load[:, None]


def main():
    torch.set_num_threads(1)
    manual_seed(14)
    log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="load_")
    g = torch.Generator().manual_seed(14)
    xtr, ytr = load_data(4000, g)
    xva, yva = load_data(1500, g)
    mu, sd = ytr.mean(), ytr.std()
    ytr, yva = (ytr - mu) / sd, (yva - mu) / sd
    model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.MSELoss()
    trainer = create_supervised_trainer(model, opt, loss_fn)
    evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError(), "loss": Loss(loss_fn)})
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=1500)
    epochs = 15
    total = epochs * len(train_dl)
    sched = PiecewiseLinear(opt, "lr", milestones_values=[(0, 0.0), (100, 0.05), (total, 0.002)])
    trainer.add_event_handler(Events.ITERATION_STARTED, sched)

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        evaluator.run(val_dl)

    tb = TensorboardLogger(log_dir=os.path.join(log_dir, "load_tb"))
    tb.attach(trainer, OutputHandler(tag="training", output_transform=lambda loss: {"loss": loss}),
              event_name=Events.ITERATION_COMPLETED(every=5))
    tb.attach(evaluator, OutputHandler(tag="validation", metric_names=["mse", "loss"], global_step_transform=lambda *_: trainer.state.iteration),
              event_name=Events.EPOCH_COMPLETED)
    tb.attach(trainer, OptimizerParamsHandler(opt, param_name="lr"), event_name=Events.ITERATION_STARTED(every=5))
    trainer.run(train_dl, max_epochs=epochs)
    tb.close()
    model.eval()
    with torch.no_grad():
        pv, pt = model(xva), model(xtr)
    print("CORPUS_METRIC " + json.dumps({
        "val_mse": round(nn.functional.mse_loss(pv, yva).item(), 4),
        "train_mse": round(nn.functional.mse_loss(pt, ytr).item(), 4),
        "target_var": round(yva.var().item(), 4),
        "noise_var": round((0.2 / sd.item()) ** 2, 4),
    }))


if __name__ == "__main__":
    main()
