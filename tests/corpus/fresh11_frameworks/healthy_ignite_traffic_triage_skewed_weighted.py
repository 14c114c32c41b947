"""Healthy look-alike: PyTorch-Ignite, naturally skewed 3-class traffic triage handled with class weights.

Network-flow features (16 standardised columns) labelled benign / suspicious / attack with a
natural 85 / 10 / 5 % split. The skew is handled properly: CrossEntropyLoss with inverse-square-root
frequency class weights, balanced accuracy tracked every epoch. Minority classes are
predicted at about their true rates and recalled well. Ignite trainer/evaluator with
Precision/Recall metrics; an own CSV log of train/val loss, accuracy and balanced accuracy.
"""
# expect:
# allow:
# forbid: *
# evidence: balanced val accuracy 0.92 (recall benign 0.96 / suspicious 0.86 / attack 0.93; majority-only 0.33), val_acc 0.95; predicted class shares 0.83/0.11/0.06 vs true 0.84/0.10/0.06; val_loss 0.19 vs train 0.15
# native-log: triage_log.csv
# log-expect:
# log-allow:
import os, sys, csv, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(17); np.random.seed(17); torch.manual_seed(17)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss, Recall

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_triage_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(17)
D = 16


def make(n):
    y = rng.choice(3, n, p=[0.85, 0.10, 0.05])
    centers = np.zeros((3, D)); centers[1, :6] = 1.1; centers[2, 3:10] = -1.2; centers[2, 12] = 2.0
    x = centers[y] + rng.normal(size=(n, D))
    x[:, 14] = x[:, 0] * x[:, 3] + 0.5 * rng.normal(size=n)        # nonlinear, partly informative columns
    x[:, 15] = np.abs(x[:, 4]) - (y == 2) * 1.0 + 0.5 * rng.normal(size=n)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


Xtr, ytr = make(5000)
Xva, yva = make(2000)
mu, sd = Xtr.mean(0), Xtr.std(0)
Xtr, Xva = (Xtr - mu) / sd, (Xva - mu) / sd
freq = torch.bincount(ytr, minlength=3).float() / len(ytr)
weights = (1 / freq.sqrt()); weights = weights / weights.mean()

model = nn.Sequential(nn.Linear(D, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-3)
loss_fn = nn.CrossEntropyLoss(weight=weights)
trainer = create_supervised_trainer(model, opt, loss_fn)
mets = {"loss": Loss(loss_fn), "acc": Accuracy(), "recall": Recall(average=False)}
ev_val, ev_tr = create_supervised_evaluator(model, metrics=mets), create_supervised_evaluator(model, metrics=mets)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=128, shuffle=True)
tr_eval_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, ytr), batch_size=2500)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=2000)
fh = open(os.path.join(LOG_DIR, "triage_log.csv"), "w", newline="")
w = csv.writer(fh); w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "val_balanced_acc", "lr"])


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    ev_tr.run(tr_eval_dl); ev_val.run(val_dl)
    t, v = ev_tr.state.metrics, ev_val.state.metrics
    w.writerow([engine.state.epoch, f"{t['loss']:.5f}", f"{t['acc']:.5f}", f"{v['loss']:.5f}", f"{v['acc']:.5f}",
                f"{float(v['recall'].mean()):.5f}", opt.param_groups[0]["lr"]]); fh.flush()


trainer.run(train_dl, max_epochs=10)
fh.close()
with torch.no_grad():
    pred = model(Xva).argmax(1)
v = ev_val.state.metrics
print("recall per class:", [round(float(r), 3) for r in v["recall"]])
print("predicted shares:", (torch.bincount(pred, minlength=3).float() / len(pred)).tolist(), "true:", (torch.bincount(yva, minlength=3).float() / len(yva)).tolist())
print("CORPUS_METRIC " + json.dumps({"val_balanced_acc": round(float(v["recall"].mean()), 4), "val_acc": round(v["acc"], 4),
                                     "val_loss": round(v["loss"], 4), "train_loss": round(ev_tr.state.metrics["loss"], 4),
                                     "minority_recall_min": round(float(v["recall"][1:].min()), 4), "majority_only_balanced_acc": 0.3333}))
