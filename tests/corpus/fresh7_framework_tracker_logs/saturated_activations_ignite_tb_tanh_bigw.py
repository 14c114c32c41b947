# expect: saturated_activations
# allow: poor_initialization, vanishing_gradients, non_convergence, high_bias, learning_rate_too_low, overfitting
# forbid: *
# evidence: control (xavier, gain 5/3) val_acc 0.85, val_loss 0.42; planted (N(0,1) weights) fraction |tanh|>0.99 per layer [0.62, 0.86, 0.87] at init and [0.66, 0.87, 0.87] at the end (control 0.001-0.03), training/loss starts at 14.4 and stays noisy 1-3, val_loss 4.0 -> 3.16, val_acc 0.77
# control: --control
# native-log: ignite_tb_tanh
# log-expect:
# log-allow: non_convergence, high_bias, overfitting, learning_rate_too_high
"""Planted saturated_activations: a 4-layer, 256-wide tanh MLP whose weights the user
initialises with nn.init.normal_(w, 0, 1.0) ("unit Gaussian"), so the pre-activations have
std ~16 and almost every tanh output is pinned at +-1 with ~zero derivative; training with
ignite's create_supervised_trainer (SGD momentum, lr 0.01) crawls. Logged with ignite's
TensorboardLogger ("training/loss" per 10 iterations, "validation/loss", "validation/accuracy"
per epoch). --control initialises with nn.init.xavier_normal_ (gain 5/3 for tanh) instead; the
only change."""
import os, sys, json, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
torch.manual_seed(18)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers.tensorboard_logger import TensorboardLogger
CONTROL = "--control" in sys.argv
LOGDIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()

rng = np.random.default_rng(18)
C, D = 5, 24
centers = rng.normal(0, 0.5, (C, D))
def make(n):
    y = rng.integers(0, C, n); x = centers[y] + rng.normal(0, 1.0, (n, D))
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)
Xtr, ytr = make(3000); Xva, yva = make(800)
tr = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
va = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=400)
model = nn.Sequential(nn.Linear(D, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, 256), nn.Tanh(), nn.Linear(256, C))
for m in model:
    if isinstance(m, nn.Linear):
        if CONTROL: nn.init.xavier_normal_(m.weight, gain=5 / 3)
        else: nn.init.normal_(m.weight, 0, 1.0)
        nn.init.zeros_(m.bias)
def sat_frac(X):
    out, h = [], X
    with torch.no_grad():
        for m in model:
            h = m(h)
            if isinstance(m, nn.Tanh): out.append(round((h.abs() > 0.99).float().mean().item(), 3))
    return out
print("probe fraction |tanh|>0.99 per layer at init", sat_frac(Xtr))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
trainer = create_supervised_trainer(model, opt, F.cross_entropy)
ev = create_supervised_evaluator(model, metrics={"accuracy": Accuracy(), "loss": Loss(F.cross_entropy)})
tb = TensorboardLogger(log_dir=os.path.join(LOGDIR, "ignite_tb_tanh"))
tb.attach_output_handler(trainer, event_name=Events.ITERATION_COMPLETED(every=10), tag="training", output_transform=lambda l: {"loss": l})
tb.attach_output_handler(ev, event_name=Events.EPOCH_COMPLETED, tag="validation", metric_names=["loss", "accuracy"], global_step_transform=lambda *_: trainer.state.iteration)
trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda e: ev.run(va))
trainer.run(tr, max_epochs=10)
tb.close()
print("probe fraction |tanh|>0.99 per layer at end", sat_frac(Xtr))
with torch.no_grad(): tl = F.cross_entropy(model(Xtr), ytr).item()
print("CORPUS_METRIC " + json.dumps({"val_loss": round(ev.state.metrics["loss"], 4), "val_acc": round(ev.state.metrics["accuracy"], 4), "train_loss": round(tl, 4), "chance_acc": 0.2}))
