"""Planted class_imbalance: PyTorch-Ignite 1-D CNN detecting bearing faults in vibration snippets, 3 % faults.

Vibration snippets (128 samples): shaft harmonics + broadband noise; a faulty bearing adds a
train of small decaying impulses at a random fault frequency. Only 3 % of the recorded snippets
are faults (train and validation alike). The planted cause: the model is trained on the skewed
data as-is with plain cross-entropy, so it settles on "always normal" (accuracy ~0.97, fault
recall ~0). --control only changes how batches are drawn: a WeightedRandomSampler gives both
classes equal weight. Own CSV log (epoch, train_loss, val_loss, val_acc) via an ignite handler.
"""
# expect: class_imbalance
# allow: non_convergence, high_bias
# forbid: *
# evidence: planted: val_acc 0.963 = majority rate 0.963, fault recall 0.00, balanced acc 0.50, 100 % of val predictions 'normal'; control (balanced sampler): fault recall 0.75, balanced acc 0.87, val_acc 0.981, val_loss 0.052 (planted 0.127)
# control: --control
# native-log: vibration_log.csv
# log-expect:
# log-allow: class_imbalance, non_convergence, high_bias
import os, sys, csv, json, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(15); np.random.seed(15); torch.manual_seed(15)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss, Recall
CONTROL = "--control" in sys.argv

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_vib_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(15)
T = 128


def make(n, p_fault=0.03):
    t = np.arange(T)
    y = (rng.random(n) < p_fault).astype(np.int64)
    f0 = rng.uniform(0.02, 0.05, n)[:, None]
    x = (np.sin(2 * np.pi * f0 * t + rng.uniform(0, 6.3, (n, 1))) + 0.5 * np.sin(4 * np.pi * f0 * t + rng.uniform(0, 6.3, (n, 1)))
         + 0.6 * rng.normal(size=(n, T)))
    for i in np.where(y == 1)[0]:
        period = rng.integers(14, 26); start = rng.integers(0, period)
        for p in range(start, T, period):
            L = min(12, T - p)
            x[i, p:p + L] += 1.6 * np.exp(-np.arange(L) / 2.5) * np.cos(1.9 * np.arange(L))
    return torch.tensor(x[:, None, :], dtype=torch.float32), torch.tensor(y)


Xtr, ytr = make(3000)
Xva, yva = make(1500)
ds = torch.utils.data.TensorDataset(Xtr, ytr)
if CONTROL:
    w = torch.where(ytr == 1, 0.5 / (ytr == 1).sum(), 0.5 / (ytr == 0).sum()).double()
    train_dl = torch.utils.data.DataLoader(ds, batch_size=64, sampler=torch.utils.data.WeightedRandomSampler(w, len(ds), replacement=True))
else:
    train_dl = torch.utils.data.DataLoader(ds, batch_size=64, shuffle=True)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, yva), batch_size=500)

model = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(16, 32, 9, padding=4), nn.ReLU(),
                      nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, loss_fn)
evaluator = create_supervised_evaluator(model, metrics={"loss": Loss(loss_fn), "acc": Accuracy(), "recall": Recall(average=False)})
log_path = os.path.join(LOG_DIR, "vibration_log.csv")
fh = open(log_path, "w", newline="")
writer = csv.writer(fh); writer.writerow(["epoch", "step", "train_loss", "val_loss", "val_acc"])
running = []


@trainer.on(Events.ITERATION_COMPLETED)
def collect(engine):
    running.append(engine.state.output)


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    evaluator.run(val_dl)
    m = evaluator.state.metrics
    writer.writerow([engine.state.epoch, engine.state.iteration, f"{np.mean(running):.6f}", f"{m['loss']:.6f}", f"{m['acc']:.6f}"])
    fh.flush(); running.clear()
    print(f"epoch {engine.state.epoch} val_loss {m['loss']:.4f} acc {m['acc']:.4f} recall {m['recall'].tolist()}")


trainer.run(train_dl, max_epochs=12)
fh.close()
with torch.no_grad():
    pred = model(Xva).argmax(1)
rec = evaluator.state.metrics["recall"].tolist()
print("CORPUS_METRIC " + json.dumps({"val_acc": round(evaluator.state.metrics["acc"], 4), "val_loss": round(evaluator.state.metrics["loss"], 4),
                                     "fault_recall": round(rec[1], 4), "normal_recall": round(rec[0], 4),
                                     "balanced_acc": round(float(np.mean(rec)), 4), "frac_pred_normal": round(float((pred == 0).float().mean()), 4),
                                     "majority_acc": round(float((yva == 0).float().mean()), 4)}))
