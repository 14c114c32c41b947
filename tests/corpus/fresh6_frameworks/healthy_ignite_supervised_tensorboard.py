# expect:
# allow:
# forbid: *
# evidence: 1-d CNN on 4 waveform classes, cosine param scheduler, EarlyStopping: val_acc 0.998 (chance 0.25), val_loss 0.034
# native-log: tb
# log-expect:
# log-allow:
"""pytorch-ignite: create_supervised_trainer / create_supervised_evaluator on a 1-d conv net that
classifies synthetic signals (sine / square / sawtooth / noise burst, random frequency, phase and
noise). Handlers: CosineAnnealingScheduler (param scheduler), EarlyStopping on val accuracy,
ignite's TensorboardLogger (OutputHandler for train loss and val metrics, OptimizerParamsHandler lr)."""
import os
import json
import math
import tempfile
import warnings

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import CosineAnnealingScheduler, EarlyStopping
from ignite.handlers.tensorboard_logger import OptimizerParamsHandler, OutputHandler, TensorboardLogger
from ignite.metrics import Accuracy, Loss
from ignite.utils import manual_seed

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
manual_seed(3)
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="ign_")
T = 64


def signals(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T).float()[None, :]
    f = (torch.rand(n, 1, generator=g) * 0.08 + 0.04)
    ph = torch.rand(n, 1, generator=g) * 2 * math.pi
    arg = 2 * math.pi * f * t + ph
    sine = torch.sin(arg)
    square = torch.sign(torch.sin(arg))
    saw = 2 * ((arg / (2 * math.pi)) % 1.0) - 1
    burst = torch.randn(n, T, generator=g) * (torch.abs(t - 32) < 12).float()
    x = torch.stack([sine, square, saw, burst], 1)[torch.arange(n), y]
    x = x + 0.3 * torch.randn(n, T, generator=g)
    return x[:, None, :], y


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                               nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                               nn.Flatten(), nn.Linear(32, 4))

    def forward(self, x):
        return self.f(x)


g = torch.Generator().manual_seed(3)
Xtr, Ytr = signals(2000, g)
Xva, Yva = signals(500, g)
train_loader = DataLoader(TensorDataset(Xtr, Ytr), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(Xva, Yva), batch_size=250)

model = ConvNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, loss_fn)
metrics = {"accuracy": Accuracy(), "loss": Loss(loss_fn)}
evaluator = create_supervised_evaluator(model, metrics=metrics)
EPOCHS = 8
trainer.add_event_handler(Events.ITERATION_STARTED, CosineAnnealingScheduler(
    opt, "lr", start_value=3e-3, end_value=1e-4, cycle_size=EPOCHS * len(train_loader)))


@trainer.on(Events.EPOCH_COMPLETED)
def run_validation(engine):
    evaluator.run(val_loader)


evaluator.add_event_handler(Events.COMPLETED, EarlyStopping(
    patience=3, score_function=lambda e: e.state.metrics["accuracy"], trainer=trainer))

tb = TensorboardLogger(log_dir=os.path.join(LOG_DIR, "tb"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=10), tag="training",
                         output_transform=lambda loss: {"loss": loss})
tb.attach_output_handler(evaluator, event_name=Events.EPOCH_COMPLETED, tag="validation",
                         metric_names=["loss", "accuracy"], global_step_transform=lambda *_: trainer.state.iteration)
tb.attach_opt_params_handler(trainer, event_name=Events.ITERATION_STARTED(every=10), optimizer=opt)

trainer.run(train_loader, max_epochs=EPOCHS)
tb.close()


def final_metrics(x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
    return {"loss": loss_fn(out, y).item(), "accuracy": (out.argmax(1) == y).float().mean().item()}


val, tr = final_metrics(Xva, Yva), final_metrics(Xtr, Ytr)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val["loss"], 4), "val_acc": round(val["accuracy"], 4),
                                     "train_loss": round(tr["loss"], 4), "train_acc": round(tr["accuracy"], 4),
                                     "chance_acc": 0.25}))
