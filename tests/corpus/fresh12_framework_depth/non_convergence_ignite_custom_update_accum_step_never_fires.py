"""PyTorch-Ignite Engine with a custom process_function implementing gradient accumulation over 4 batches on the wine
data (standardised). The step condition was written `engine.state.iteration % ACCUM == ACCUM` (never true) instead of
`== 0`, so optimizer.step() is never called (grads are zeroed every iteration so nothing accumulates): the model stays at
its initialisation. PiecewiseLinear warm-up on the lr, Accuracy/Loss evaluator, metrics logged by our own handler as
CSV. --control uses `% ACCUM == 0`."""
# expect: non_convergence
# allow: learning_rate_too_low, high_bias
# forbid: *
# evidence: probe: planted weights move 0 from init; train_loss 1.078, val_loss 1.051, val_acc 0.556 (majority 0.39) all flat; control (% ACCUM == 0): weight change 6.6, val_loss 0.024, val_acc 1.00, train_loss 0.014
# control: --control
# native-log: ignite_metrics.csv
# log-expect: non_convergence
# log-allow: learning_rate_too_low, high_bias
import os, sys, csv, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
torch.set_num_threads(1); torch.manual_seed(0); np.random.seed(0); random.seed(0)
from ignite.engine import Engine, Events, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers import PiecewiseLinear
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
X, y = load_wine(return_X_y=True)
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
sc = StandardScaler().fit(Xtr)
t = lambda a: torch.tensor(a, dtype=torch.float32)
tr = torch.utils.data.TensorDataset(t(sc.transform(Xtr)), torch.tensor(ytr)); va = torch.utils.data.TensorDataset(t(sc.transform(Xva)), torch.tensor(yva))
dl = torch.utils.data.DataLoader(tr, batch_size=8, shuffle=True); vdl = torch.utils.data.DataLoader(va, batch_size=64)
model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
ACCUM = 4
w0 = [p.detach().clone() for p in model.parameters()]


def update(engine, batch):
    model.train()
    x, yb = batch
    loss = F.cross_entropy(model(x), yb) / ACCUM
    loss.backward()
    hit = (engine.state.iteration % ACCUM == 0) if CONTROL else (engine.state.iteration % ACCUM == ACCUM)
    if hit:
        opt.step()
    if hit or not CONTROL:
        opt.zero_grad()
    return loss.item() * ACCUM


trainer = Engine(update)
trainer.add_event_handler(Events.ITERATION_STARTED, PiecewiseLinear(opt, "lr", [(0, 0.0), (20, 0.05), (400, 0.005)]))
evaluator = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(nn.CrossEntropyLoss())})
tr_eval = create_supervised_evaluator(model, metrics={"acc": Accuracy(), "loss": Loss(nn.CrossEntropyLoss())})
path = os.path.join(LOG_DIR, "ignite_metrics.csv")
fh = open(path, "w", newline=""); wr = csv.writer(fh); wr.writerow(["epoch", "iteration", "lr", "train_loss", "train_acc", "val_loss", "val_acc"])


@trainer.on(Events.EPOCH_COMPLETED)
def log(engine):
    evaluator.run(vdl); tr_eval.run(dl)
    m, mt = evaluator.state.metrics, tr_eval.state.metrics
    wr.writerow([engine.state.epoch, engine.state.iteration, opt.param_groups[0]["lr"], round(mt["loss"], 5), round(mt["acc"], 4), round(m["loss"], 5), round(m["acc"], 4)])


trainer.run(dl, max_epochs=25)
fh.close()
moved = sum((p.detach() - q).norm().item() for p, q in zip(model.parameters(), w0))
print(f"probe: total weight change since init = {moved:.4g}")
m = evaluator.state.metrics; mt = tr_eval.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4), "train_loss": round(mt["loss"], 4),
                                     "chance_acc": round(float(np.bincount(yva).max() / len(yva)), 4)}))
