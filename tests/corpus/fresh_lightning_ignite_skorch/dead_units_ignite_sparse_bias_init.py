# expect: dead_units
# allow: high_bias, non_convergence, poor_initialization, vanishing_gradients
# forbid: *
# evidence: probe: planted (hidden bias -2.0) never-firing ReLU fraction per layer [0, 0.83, 1.0] at start and still [0, 0.83, 1.0] after 8 epochs; val_acc 0.174 (chance 0.167), val_loss 1.794. Control (bias 0) [0, 0, 0] dead, val_acc 0.959, val_loss 0.161
# control: --control
# native-log: tb
# log-expect:
# log-allow: dead_units, high_bias, non_convergence, learning_rate_too_low
"""6-class mixture-of-blobs classifier, 3 hidden ReLU layers, trained with pytorch-ignite and
logged with ignite's TensorboardLogger.

Planted: a custom init that sets every hidden bias to BIAS_INIT (-2.0, "to get sparse
activations"). Most hidden ReLUs start below zero for every input, get no gradient and never
recover. --control leaves the biases at 0 (same He weights, same everything else).
The script measures the fraction of hidden units that never fire on the validation set."""
import argparse
import json
import os
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss, RunningAverage
from ignite.utils import manual_seed

torch.set_num_threads(1)

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="sparse_")
D, K, WIDTH = 16, 6, 96
BIAS_INIT = -2.0


def blobs(n, seed):
    centres = torch.randn(K * 3, D, generator=torch.Generator().manual_seed(0)) * 1.3
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, K, (n,), generator=g)
    which = y * 3 + torch.randint(0, 3, (n,), generator=g)
    return centres[which] + torch.randn(n, D, generator=g), y


def build(bias_init):
    model = nn.Sequential(nn.Linear(D, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(),
                          nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, K))

    def init(m):
        if isinstance(m, nn.Linear):
            nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            nn.init.constant_(m.bias, bias_init if m.out_features == WIDTH else 0.0)

    model.apply(init)
    return model


def never_firing_fraction(model, x):
    """Per hidden layer: fraction of ReLU units that output 0 for every validation example."""
    fracs, h = [], x
    with torch.no_grad():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                fracs.append(round(1 - (h > 0).any(0).float().mean().item(), 3))
    return fracs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--control", action="store_true", help="hidden biases start at 0")
    args = ap.parse_args()
    manual_seed(4)

    xtr, ytr = blobs(3000, seed=1)
    xva, yva = blobs(1000, seed=2)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    val_loader = DataLoader(TensorDataset(xva, yva), batch_size=500)

    model = build(0.0 if args.control else BIAS_INIT)
    dead_at_start = never_firing_fraction(model, xva)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    trainer = create_supervised_trainer(model, optimizer, criterion)
    RunningAverage(output_transform=lambda x: x).attach(trainer, "loss")
    evaluator = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(criterion)})
    trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda e: evaluator.run(val_loader))

    tb = TensorboardLogger(log_dir=os.path.join(LOG_DIR, "tb"))
    tb.attach(trainer, event_name=Events.ITERATION_COMPLETED(every=10),
              log_handler=OutputHandler(tag="train", metric_names=["loss"],
                                        output_transform=lambda loss: {"batch_loss": loss}))
    tb.attach(evaluator, event_name=Events.EPOCH_COMPLETED,
              log_handler=OutputHandler(tag="val", metric_names=["accuracy", "loss"],
                                        global_step_transform=lambda *_: trainer.state.iteration))
    tb.attach_opt_params_handler(trainer, event_name=Events.EPOCH_STARTED, optimizer=optimizer)

    trainer.run(train_loader, max_epochs=8)
    tb.close()

    evaluator.run(val_loader)
    with torch.no_grad():
        train_loss = criterion(model(xtr), ytr).item()
    print("CORPUS_METRIC " + json.dumps({
        "val_loss": round(evaluator.state.metrics["loss"], 4),
        "val_acc": round(evaluator.state.metrics["accuracy"], 4),
        "train_loss": round(train_loss, 4),
        "chance_acc": round(1 / K, 4),
        "never_firing_frac_per_layer_start": dead_at_start,
        "never_firing_frac_per_layer_end": never_firing_fraction(model, xva),
    }))


if __name__ == "__main__":
    main()
