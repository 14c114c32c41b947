"""Planted high_bias: PyTorch-Ignite, a 2-unit-wide MLP on a three-arm spiral (underfits its own training data).

2-D three-arm spiral, 3000 points with small jitter (classes are almost perfectly separable:
a k-NN reaches ~0.99). The planted cause: the network's hidden width is 2 (two hidden layers
of 2 tanh units), far too small for the spiral, so even training accuracy stays low.
--control uses hidden width 64 (same depth, optimiser, schedule and epochs). Ignite trainer +
evaluators; an own JSON-lines log with epoch-level train/val loss and accuracy.
"""
# expect: high_bias
# allow: non_convergence
# forbid: *
# evidence: planted (width 2): train_acc 0.66, val_acc 0.60, train_loss 0.70 plateaued (chance 0.33; 5-NN val_acc 0.998); control (width 64): train_acc 1.00, val_acc 1.00, val_loss 0.002
# control: --control
# native-log: spiral_log.jsonl
# log-expect: high_bias
# log-allow: non_convergence
import os, sys, json, math, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(16); np.random.seed(16); torch.manual_seed(16)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from sklearn.neighbors import KNeighborsClassifier
CONTROL = "--control" in sys.argv
WIDTH = 64 if CONTROL else 2

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_spiral_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(16)
N = 3000
cls = rng.integers(0, 3, N)
r = rng.uniform(0.05, 1.0, N)
theta = 1.6 * r * np.pi + cls * 2 * np.pi / 3
X = np.stack([r * np.cos(theta), r * np.sin(theta)], 1) + rng.normal(0, 0.02, (N, 2))
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = torch.tensor(X[:2400]), torch.tensor(cls[:2400]), torch.tensor(X[2400:]), torch.tensor(cls[2400:])
knn_acc = KNeighborsClassifier(5).fit(X[:2400], cls[:2400]).score(X[2400:], cls[2400:])

model = nn.Sequential(nn.Linear(2, WIDTH), nn.Tanh(), nn.Linear(WIDTH, WIDTH), nn.Tanh(), nn.Linear(WIDTH, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
EPOCHS = 40
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=64, shuffle=True)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=EPOCHS * len(train_dl), eta_min=1e-4)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, loss_fn)
trainer.add_event_handler(Events.ITERATION_COMPLETED, lambda e: sched.step())
metrics = {"loss": Loss(loss_fn), "acc": Accuracy()}
ev_val, ev_train = create_supervised_evaluator(model, metrics=metrics), create_supervised_evaluator(model, metrics=metrics)
full_train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=1000)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=1000)
log = open(os.path.join(LOG_DIR, "spiral_log.jsonl"), "w")


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    ev_train.run(full_train); ev_val.run(val_dl)
    rec = {"epoch": engine.state.epoch, "step": engine.state.iteration, "lr": opt.param_groups[0]["lr"],
           "train_loss": ev_train.state.metrics["loss"], "train_acc": ev_train.state.metrics["acc"],
           "val_loss": ev_val.state.metrics["loss"], "val_acc": ev_val.state.metrics["acc"]}
    log.write(json.dumps(rec) + "\n"); log.flush()


trainer.run(train_dl, max_epochs=EPOCHS)
log.close()
tm, vm = ev_train.state.metrics, ev_val.state.metrics
print("CORPUS_METRIC " + json.dumps({"train_acc": round(tm["acc"], 4), "train_loss": round(tm["loss"], 4), "val_acc": round(vm["acc"], 4),
                                     "val_loss": round(vm["loss"], 4), "knn_val_acc": round(float(knn_acc), 4), "chance_acc": 0.3333, "width": WIDTH}))
