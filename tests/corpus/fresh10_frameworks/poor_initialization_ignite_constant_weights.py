# expect: poor_initialization
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted (all weights 0.01) hidden layer collapses to 2 distinct unit outputs of 64, val acc 0.580, train acc 0.565, val_loss 0.958; control (default init) val acc 0.998, val_loss 0.058 (majority 0.192)
# control: --control
# native-log: ignite_log.csv
# log-expect:
# log-allow: non_convergence, high_bias
"""pytorch-ignite supervised trainer, tanh MLP (2x64) on a 6-class tabular problem (12 overlapping Gaussian
blobs in 10-d, two per class), SGD momentum + StepLR, label smoothing 0.05. Planted: every Linear weight is
initialised to the same constant 0.01 (nn.init.constant_, 'deterministic init'), so all hidden units are
identical and stay identical (symmetry is never broken). --control: PyTorch's default init (= the healthy twin)."""
import os, sys, json, csv, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from sklearn.datasets import make_blobs

torch.set_num_threads(1); torch.manual_seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
# 6 overlapping classes in 10-d: a nonlinear layout (each class = 2 blobs) with some Bayes error
X, yb = make_blobs(n_samples=3600, n_features=10, centers=12, cluster_std=2.2, random_state=3)
y = yb % 6
X = ((X - X[:3000].mean(0)) / X[:3000].std(0)).astype(np.float32)
Xtr, ytr, Xva, yva = torch.tensor(X[:3000]), torch.tensor(y[:3000]), torch.tensor(X[3000:]), torch.tensor(y[3000:])
model = nn.Sequential(nn.Linear(10, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 6))
if not CONTROL:
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.01); nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss(label_smoothing=0.05)
trainer = create_supervised_trainer(model, opt, crit)
evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(nn.CrossEntropyLoss())})
tr_loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
va_loader = DataLoader(TensorDataset(Xva, yva), batch_size=600)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
log_f = open(os.path.join(LOG_DIR, "ignite_log.csv"), "w", newline="")
w = csv.writer(log_f); w.writerow(["epoch", "iteration", "train_loss", "val_loss", "val_acc", "lr"])


@trainer.on(Events.ITERATION_COMPLETED(every=10))
def log_iter(engine):
    w.writerow([engine.state.epoch, engine.state.iteration, engine.state.output, "", "", opt.param_groups[0]["lr"]])


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    evaluator.run(va_loader); m = evaluator.state.metrics
    w.writerow([engine.state.epoch, engine.state.iteration, "", m["loss"], m["acc"], opt.param_groups[0]["lr"]])
    log_f.flush(); sched.step()


trainer.run(tr_loader, max_epochs=10)
log_f.close()
model.eval()
with torch.no_grad():
    ov, ot = model(Xva), model(Xtr)
    h1 = model[1](model[0](Xtr))
res = {"val_loss": float(nn.functional.cross_entropy(ov, yva)), "val_acc": float((ov.argmax(1) == yva).float().mean()),
       "train_loss": float(nn.functional.cross_entropy(ot, ytr)), "train_acc": float((ot.argmax(1) == ytr).float().mean()),
       "chance_acc": float(np.bincount(yva.numpy()).max() / len(yva)),
       "hidden1_distinct_units": int(torch.unique(h1.round(decimals=4), dim=1).shape[1])}
print("CORPUS_METRIC " + json.dumps({k: round(v, 4) for k, v in res.items()}))
