# expect: poor_initialization
# allow: high_bias, non_convergence, vanishing_gradients
# forbid: *
# evidence: planted (every Conv1d/Linear weight initialised to the same constant 0.01 -> all filters identical) val_acc 0.50, train_loss 0.99 after 10 epochs (chance 0.25); control (--control, PyTorch default init) val_acc 0.95, train_loss 0.05
# control: --control
# native-log: tb
# log-expect:
# log-allow: high_bias, non_convergence
"""Human-activity recognition from 3-axis accelerometer windows (64 samples @ 32 Hz).

Small 1-D CNN, pytorch-ignite supervised trainer, TensorBoard logging.
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.metrics import Accuracy, Loss
from ignite.handlers.tensorboard_logger import OutputHandler, TensorboardLogger

torch.set_num_threads(1)
torch.manual_seed(8)
CONTROL = "--control" in sys.argv
ACTIVITIES = ["sitting", "walking", "running", "stairs"]


def windows(n, rng):
    t = np.arange(64) / 32.0
    y = rng.integers(0, 4, n)
    x = np.zeros((n, 3, 64))
    for i, a in enumerate(y):
        ph = rng.uniform(0, 2 * np.pi)
        if a == 0:
            sig = np.zeros((3, 64))
        elif a == 1:
            f = rng.uniform(1.6, 2.2)
            sig = np.stack([0.6 * np.sin(2 * np.pi * f * t + ph), 0.3 * np.sin(4 * np.pi * f * t + ph), 0.2 * np.cos(2 * np.pi * f * t + ph)])
        elif a == 2:
            f = rng.uniform(2.6, 3.4)
            sig = np.stack([1.0 * np.sin(2 * np.pi * f * t + ph), 0.7 * np.sin(4 * np.pi * f * t + ph), 0.4 * np.cos(2 * np.pi * f * t + ph)])
        else:
            f = rng.uniform(1.4, 2.0)
            sig = np.stack([0.5 * np.sin(2 * np.pi * f * t + ph), 0.5 * np.cos(2 * np.pi * f * t + ph), 0.6 * np.abs(np.sin(np.pi * f * t + ph))])
        x[i] = sig + rng.normal(0, 0.8, (3, 64))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


class ActivityCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(3, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 4))

    def forward(self, x):
        return self.head(self.features(x))


def init_weights(m):
    # keep the starting weights small and identical so runs are reproducible across machines
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.constant_(m.weight, 0.01)
        nn.init.zeros_(m.bias)


rng = np.random.default_rng(8)
xtr, ytr = windows(2400, rng)
xva, yva = windows(600, rng)
train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(xva, yva), batch_size=300)
train_eval_loader = DataLoader(TensorDataset(xtr[:600], ytr[:600]), batch_size=300)  # fixed slice for train metrics

model = ActivityCNN()
if not CONTROL:
    model.apply(init_weights)

optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, optimizer, loss_fn)
metrics = {"accuracy": Accuracy(), "loss": Loss(loss_fn)}
evaluator = create_supervised_evaluator(model, metrics=metrics)
train_evaluator = create_supervised_evaluator(model, metrics=metrics)

tb_dir = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "tb")
tb_logger = TensorboardLogger(log_dir=tb_dir)
tb_logger.attach(trainer, log_handler=OutputHandler(tag="training", output_transform=lambda loss: {"batch_loss": loss}),
                 event_name=Events.ITERATION_COMPLETED(every=25))
for tag, ev in (("train", train_evaluator), ("validation", evaluator)):
    tb_logger.attach(ev, log_handler=OutputHandler(tag=tag, metric_names=["loss", "accuracy"], global_step_transform=lambda *_: trainer.state.epoch),
                     event_name=Events.EPOCH_COMPLETED)


@trainer.on(Events.EPOCH_COMPLETED)
def run_validation(engine):
    train_evaluator.run(train_eval_loader)
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    print(f"epoch {engine.state.epoch:2d} train_loss {train_evaluator.state.metrics['loss']:.3f} val_loss {m['loss']:.3f} val_acc {m['accuracy']:.3f}")


trainer.run(train_loader, max_epochs=10)
tb_logger.close()

vm, tm = evaluator.state.metrics, train_evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(vm["loss"], 4), "val_acc": round(vm["accuracy"], 4),
                                      "train_loss": round(tm["loss"], 4), "chance_acc": 0.25}))
