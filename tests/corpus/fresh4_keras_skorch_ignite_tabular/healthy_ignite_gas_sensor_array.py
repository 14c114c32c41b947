# expect:
# allow:
# forbid: *
# evidence: 6 gases from a cross-sensitive 16-sensor array (log + z-scored readings), small batches + ReduceLROnPlateau: val_acc 0.98 (majority 0.17), val CE 0.058 ~ train CE 0.046
# native-log: gas_array_log.csv
# log-expect:
# log-allow:
"""Identify which of 6 gases is present from a 16-element metal-oxide sensor array.

Raw sensor resistances (kOhm) are log-transformed and z-scored with training statistics.
Plain pytorch-ignite Engine with a hand-written update, small noisy batches, ReduceLROnPlateau.
"""
import csv
import json
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Engine, Events
from ignite.handlers import EarlyStopping
from ignite.metrics import Accuracy, Loss

torch.set_num_threads(1)
torch.manual_seed(314)
rs = np.random.RandomState(314)

GASES = ["ethanol", "ethylene", "ammonia", "acetaldehyde", "acetone", "toluene"]
N_SENS = 16
# cross-sensitive array: every sensor reacts to every gas, the gases differ only in the pattern
sensitivity = rs.uniform(0.4, 1.2, N_SENS) * (1 + 0.06 * rs.randn(len(GASES), N_SENS))
baseline_kohm = rs.uniform(5, 80, N_SENS)


def readings(n):
    gas = rs.randint(0, len(GASES), n)
    conc_ppm = rs.uniform(20, 600, n)
    drift = rs.normal(0, 0.08, (n, N_SENS))
    response = sensitivity[gas] * np.log(conc_ppm)[:, None] ** 0.8 + drift + rs.normal(0, 0.15, (n, N_SENS))
    r = baseline_kohm * np.exp(-response)                         # resistance drops with exposure
    return r, gas


r_tr, g_tr = readings(3000)
r_va, g_va = readings(800)
log_tr, log_va = np.log(r_tr), np.log(r_va)
mu, sd = log_tr.mean(0), log_tr.std(0)
to_t = lambda a: torch.tensor((a - mu) / sd, dtype=torch.float32)
train_loader = DataLoader(TensorDataset(to_t(log_tr), torch.tensor(g_tr)), batch_size=16, shuffle=True)
val_loader = DataLoader(TensorDataset(to_t(log_va), torch.tensor(g_va)), batch_size=400)

model = nn.Sequential(nn.Linear(N_SENS, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, len(GASES)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.3, patience=2)
loss_fn = nn.CrossEntropyLoss()


def update(engine, batch):
    model.train()
    x, y = batch
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def infer(engine, batch):
    model.eval()
    with torch.no_grad():
        x, y = batch
        return model(x), y


trainer, evaluator = Engine(update), Engine(infer)
Accuracy().attach(evaluator, "accuracy")
Loss(loss_fn).attach(evaluator, "ce")

csv_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "gas_array_log.csv")
with open(csv_path, "w", newline="") as fh:
    csv.writer(fh).writerow(["epoch", "train_loss", "val_loss", "val_accuracy", "lr"])
epoch_losses = []
trainer.add_event_handler(Events.ITERATION_COMPLETED, lambda e: epoch_losses.append(e.state.output))


@trainer.on(Events.EPOCH_COMPLETED)
def end_of_epoch(engine):
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    with open(csv_path, "a", newline="") as fh:
        csv.writer(fh).writerow([engine.state.epoch, float(np.mean(epoch_losses)), m["ce"], m["accuracy"],
                                 optimizer.param_groups[0]["lr"]])
    epoch_losses.clear()
    plateau.step(m["ce"])


evaluator.add_event_handler(Events.COMPLETED, EarlyStopping(patience=5, score_function=lambda e: -e.state.metrics["ce"], trainer=trainer))
trainer.run(train_loader, max_epochs=15)

model.eval()
with torch.no_grad():
    train_ce = float(loss_fn(model(to_t(log_tr)), torch.tensor(g_tr)))
m = evaluator.state.metrics
print(f"stopped after {trainer.state.epoch} epochs: train_ce {train_ce:.4f} val_ce {m['ce']:.4f} val_acc {m['accuracy']:.4f}")
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["ce"], 4), "val_acc": round(m["accuracy"], 4),
                                      "train_loss": round(train_ce, 4), "chance_acc": round(float(np.bincount(g_va).max() / len(g_va)), 4)}))
