# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (linear logistic model on 6 pump sensor channels; faults = leaving an elliptical operating envelope) val_acc 0.49 vs majority 0.525, train loss stuck at 0.693; control (--control, one 64-unit hidden ReLU layer) val_acc 0.947, train loss 0.087
# control: --control
# native-log: metrics.jsonl
# log-expect: high_bias
# log-allow: non_convergence
import argparse
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss

torch.set_num_threads(1)


def get_args():
    p = argparse.ArgumentParser(description="pump fault detector")
    p.add_argument("--control", action="store_true", help="use the MLP instead of the linear probe")
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--lr", type=float, default=3e-3)
    return p.parse_args()


def pump_readings(n, seed):
    g = np.random.default_rng(seed)
    # standardised: suction pressure, discharge pressure, flow, motor current, bearing temp, vibration rms
    x = g.normal(size=(n, 6))
    envelope = 0.9 * x[:, 0] ** 2 + 0.6 * (x[:, 1] - 0.4 * x[:, 2]) ** 2 + 0.5 * x[:, 3] ** 2 + 0.4 * x[:, 5] ** 2
    fault = (envelope + g.normal(0, 0.2, n) > 2.0).astype(np.int64)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(fault)


def build(control):
    if control:
        return nn.Sequential(nn.Linear(6, 64), nn.ReLU(), nn.Linear(64, 2))
    return nn.Linear(6, 2)   # "start simple": logistic regression baseline


def main():
    args = get_args()
    torch.manual_seed(42)
    xtr, ytr = pump_readings(4000, 1)
    xva, yva = pump_readings(1000, 2)
    train_dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=500)

    model = build(args.control)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def train_step(engine, batch):
        model.train()
        xb, yb = batch
        opt.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    def eval_step(engine, batch):
        model.eval()
        with torch.no_grad():
            xb, yb = batch
            return model(xb), yb

    trainer = Engine(train_step)
    evaluator = Engine(eval_step)
    Accuracy().attach(evaluator, "acc")
    Loss(F.cross_entropy).attach(evaluator, "loss")

    log_file = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "metrics.jsonl")
    open(log_file, "w").close()
    running = []

    @trainer.on(Events.ITERATION_COMPLETED)
    def collect(engine):
        running.append(engine.state.output)

    @trainer.on(Events.EPOCH_COMPLETED)
    def validate(engine):
        evaluator.run(val_dl)
        rec = {"epoch": engine.state.epoch, "train_loss": float(np.mean(running)),
               "val_loss": evaluator.state.metrics["loss"], "val_acc": evaluator.state.metrics["acc"],
               "lr": opt.param_groups[0]["lr"]}
        running.clear()
        with open(log_file, "a") as fh:
            fh.write(json.dumps(rec) + "\n")
        engine.state.last = rec

    trainer.run(train_dl, max_epochs=args.epochs)
    last = trainer.state.last
    print(f"final: {last}")
    print("CORPUS_METRIC " + json.dumps({"val_loss": round(last["val_loss"], 4), "val_acc": round(last["val_acc"], 4),
                                          "train_loss": round(last["train_loss"], 4),
                                          "chance_acc": round(max(float(yva.float().mean()), 1 - float(yva.float().mean())), 4)}))


if __name__ == "__main__":
    main()
