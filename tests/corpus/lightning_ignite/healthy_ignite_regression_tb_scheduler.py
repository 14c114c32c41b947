# expect:
# forbid: *
# evidence: regression, target variance 0.669: val_mse falls every epoch 0.282 -> 0.0120 (R^2 0.982), train_mse 0.0115 (no gap)
# native-log: runs
# log-expect:
"""Ignite regression: create_supervised_trainer + cosine parameter scheduler; TensorBoard logs of
training loss, learning rate and validation MSE (stepped by trainer iteration)."""
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import CosineAnnealingScheduler, global_step_from_engine
from ignite.handlers.tensorboard_logger import OptimizerParamsHandler, OutputHandler, TensorboardLogger
from ignite.metrics import Loss, MeanSquaredError


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-3)
    return p.parse_args()


def make_data(seed=4):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(2400, 4)).astype(np.float32)
    y = (np.cos(x[:, 0]) * x[:, 1] + 0.5 * np.abs(x[:, 2]) - 0.3 * x[:, 3]
         + 0.05 * rng.standard_normal(2400)).astype(np.float32)
    x, y = torch.from_numpy(x), torch.from_numpy(y)[:, None]
    return (x[:2000], y[:2000]), (x[2000:], y[2000:])


def main():
    args = get_args()
    torch.set_num_threads(1)
    torch.manual_seed(4)
    (xtr, ytr), (xva, yva) = make_data()
    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=args.batch_size, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=400)

    model = nn.Sequential(nn.Linear(4, 64), nn.GELU(), nn.Linear(64, 64), nn.GELU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    trainer = create_supervised_trainer(model, optimizer, nn.MSELoss())
    evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError(), "loss": Loss(nn.MSELoss())})

    total_iters = args.epochs * len(train_loader)
    sched = CosineAnnealingScheduler(optimizer, "lr", start_value=args.lr, end_value=args.lr * 0.02,
                                     cycle_size=total_iters)
    trainer.add_event_handler(Events.ITERATION_STARTED, sched)
    trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda _: evaluator.run(val_loader))

    tb = TensorboardLogger(log_dir=os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "runs"))
    tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=2), tag="train",
                             output_transform=lambda loss: {"loss": loss})
    tb.attach(trainer, log_handler=OptimizerParamsHandler(optimizer, param_name="lr"),
              event_name=Events.ITERATION_STARTED(every=2))
    tb.attach(evaluator,
              log_handler=OutputHandler(tag="val", metric_names=["loss", "mse"],
                                        global_step_transform=global_step_from_engine(trainer, Events.ITERATION_COMPLETED)),
              event_name=Events.COMPLETED)

    @evaluator.on(Events.COMPLETED)
    def show(engine):
        print(f"epoch {trainer.state.epoch}: val mse {engine.state.metrics['mse']:.4f}")

    trainer.run(train_loader, max_epochs=args.epochs)
    tb.close()

    model.eval()
    with torch.no_grad():
        train_mse = nn.functional.mse_loss(model(xtr), ytr).item()
    val_mse = evaluator.state.metrics["mse"]
    print("CORPUS_METRIC " + json.dumps({"val_mse": round(val_mse, 5), "train_mse": round(train_mse, 5),
                                         "target_var": round(yva.var().item(), 4), "noise_var": 0.0025,
                                         "val_r2": round(1 - val_mse / yva.var().item(), 4)}))


if __name__ == "__main__":
    main()
