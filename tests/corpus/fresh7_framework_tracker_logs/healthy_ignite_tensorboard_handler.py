# expect:
# allow:
# forbid: *
# evidence: 10-class noisy 12x12 glyph CNN reaches val_acc 0.86 (chance 0.10), val_loss 0.40, train_loss 0.23 after 8 epochs; val loss falls throughout
# native-log: ignite_tb
# log-expect:
# log-allow:
"""Healthy: PyTorch-Ignite supervised trainer + evaluators with ignite's TensorboardLogger
(OutputHandler for the iteration loss "training/loss", epoch metrics "training/accuracy",
"validation/loss", "validation/accuracy", and OptimizerParamsHandler for the lr), Adam with a
StepLR. Task: 10-class synthetic 8x8 "digit-like" glyph images (random strokes + noise), small CNN.
Nothing planted."""
import os, sys, json, tempfile, warnings, logging
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(6)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers.tensorboard_logger import TensorboardLogger, OutputHandler, OptimizerParamsHandler
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(6)
templates = (rng.random((10, 12, 12)) < 0.3).astype("float32")
def make(n):
    y = rng.integers(0, 10, n)
    X = np.zeros((n, 1, 12, 12), "float32")
    for i, c in enumerate(y):
        t = np.roll(templates[c], (rng.integers(-1, 2), rng.integers(-1, 2)), (0, 1))
        X[i, 0] = t * rng.uniform(0.6, 1.2) + rng.normal(0, 0.45, (12, 12))
    return torch.tensor(X), torch.tensor(y)
Xtr, ytr = make(3000); Xva, yva = make(600)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=300)
tr_eval = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr[:600], ytr[:600]), batch_size=300)

model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 9, 64), nn.ReLU(), nn.Linear(64, 10))
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
trainer = create_supervised_trainer(model, opt, F.cross_entropy)
metrics = {"accuracy": Accuracy(), "loss": Loss(F.cross_entropy)}
ev_tr = create_supervised_evaluator(model, metrics=metrics); ev_va = create_supervised_evaluator(model, metrics=metrics)
@trainer.on(Events.EPOCH_COMPLETED)
def _(e):
    ev_tr.run(tr_eval); ev_va.run(va); sched.step()
tb = TensorboardLogger(log_dir=os.path.join(LOGDIR, "ignite_tb"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=10), tag="training", output_transform=lambda l: {"loss": l})
tb.attach_output_handler(ev_tr, event_name=Events.EPOCH_COMPLETED, tag="training", metric_names=["accuracy"], global_step_transform=lambda *_: trainer.state.iteration)
tb.attach_output_handler(ev_va, event_name=Events.EPOCH_COMPLETED, tag="validation", metric_names=["loss", "accuracy"], global_step_transform=lambda *_: trainer.state.iteration)
tb.attach(trainer, log_handler=OptimizerParamsHandler(opt), event_name=Events.ITERATION_STARTED(every=10))
trainer.run(tr, max_epochs=8)
tb.close()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev_va.state.metrics["loss"], 4), "val_acc": round(ev_va.state.metrics["accuracy"], 4),
                                     "train_loss": round(ev_tr.state.metrics["loss"], 4), "chance_acc": 0.1}))
