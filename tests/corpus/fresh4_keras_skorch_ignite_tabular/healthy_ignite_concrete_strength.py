# expect:
# allow:
# forbid: *
# evidence: concrete strength from 8 mix columns, OneCycle AdamW MLP fits train to mse 0.00065 (standardised), best checkpoint val_mse 0.0031 (target variance 1.0, R^2 0.997), val MAE 0.76 MPa with 0.6 MPa measurement noise
# native-log: concrete_metrics.csv
# log-expect:
# log-allow:
"""Concrete compressive strength (MPa) from mix proportions and curing age.

pytorch-ignite; the training set is fitted almost exactly (the strength law is smooth and the
lab measurement noise is small), weight decay + best-checkpoint selection on the validation MSE.
"""
import csv
import json
import os
import tempfile

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_evaluator, create_supervised_trainer
from ignite.handlers import Checkpoint, DiskSaver, global_step_from_engine
from ignite.metrics import MeanAbsoluteError, MeanSquaredError

torch.set_num_threads(1)
torch.manual_seed(2)
gen = np.random.default_rng(2)

MIX = ["cement", "slag", "fly_ash", "water", "superplasticizer", "coarse_agg", "fine_agg", "age_days"]
n = 1600
cement = gen.uniform(100, 540, n); slag = gen.uniform(0, 360, n) * (gen.random(n) < 0.55)
fly_ash = gen.uniform(0, 200, n) * (gen.random(n) < 0.45); water = gen.uniform(120, 245, n)
sp = gen.uniform(0, 30, n) * (gen.random(n) < 0.6); coarse = gen.uniform(800, 1150, n); fine = gen.uniform(590, 990, n)
age = gen.choice([3, 7, 14, 28, 56, 90, 180], n).astype(float)
binder = cement + 0.6 * slag + 0.35 * fly_ash
wb = water / binder
strength = 95 * np.exp(-1.6 * wb) * (np.log(age) / np.log(28)) ** 0.55 + 0.25 * sp - 0.004 * (coarse - 975) + gen.normal(0, 0.6, n)

X = np.column_stack([cement, slag, fly_ash, water, sp, coarse, fine, np.log(age)])
X = ((X - X[:1300].mean(0)) / X[:1300].std(0)).astype(np.float32)
s_mu, s_sd = strength[:1300].mean(), strength[:1300].std()
Y = ((strength - s_mu) / s_sd).astype(np.float32)[:, None]

train = DataLoader(TensorDataset(torch.from_numpy(X[:1300]), torch.from_numpy(Y[:1300])), batch_size=32, shuffle=True)
train_eval = DataLoader(TensorDataset(torch.from_numpy(X[:1300]), torch.from_numpy(Y[:1300])), batch_size=650)
val = DataLoader(TensorDataset(torch.from_numpy(X[1300:]), torch.from_numpy(Y[1300:])), batch_size=300)

net = nn.Sequential(nn.Linear(8, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=40 * len(train), pct_start=0.15)
trainer = create_supervised_trainer(net, opt, nn.MSELoss())
trainer.add_event_handler(Events.ITERATION_COMPLETED, lambda _: sched.step())
metrics = {"mse": MeanSquaredError(), "mae": MeanAbsoluteError()}
val_ev = create_supervised_evaluator(net, metrics=metrics)
tr_ev = create_supervised_evaluator(net, metrics=metrics)

ckpt = Checkpoint({"model": net}, DiskSaver(tempfile.mkdtemp(), require_empty=False), n_saved=1,
                  score_function=lambda e: -e.state.metrics["mse"], score_name="neg_val_mse",
                  global_step_transform=global_step_from_engine(trainer))
val_ev.add_event_handler(Events.COMPLETED, ckpt)

log_path = os.path.join(os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(), "concrete_metrics.csv")
writer_fh = open(log_path, "w", newline="")
writer = csv.DictWriter(writer_fh, fieldnames=["epoch", "lr", "train_mse", "val_mse", "val_mae_mpa"])
writer.writeheader()


@trainer.on(Events.EPOCH_COMPLETED)
def evaluate(engine):
    tr_ev.run(train_eval)
    val_ev.run(val)
    writer.writerow({"epoch": engine.state.epoch, "lr": opt.param_groups[0]["lr"], "train_mse": tr_ev.state.metrics["mse"],
                     "val_mse": val_ev.state.metrics["mse"], "val_mae_mpa": val_ev.state.metrics["mae"] * s_sd})


trainer.run(train, max_epochs=40)
writer_fh.close()
Checkpoint.load_objects({"model": net}, torch.load(ckpt.last_checkpoint, weights_only=True))
val_ev.run(val); tr_ev.run(train_eval)
vm, tm = val_ev.state.metrics, tr_ev.state.metrics
print(f"best checkpoint {os.path.basename(str(ckpt.last_checkpoint))}: train_mse {tm['mse']:.4f} val_mse {vm['mse']:.4f} "
      f"val MAE {vm['mae'] * s_sd:.2f} MPa (noise sd 0.6 MPa)")
print("CORPUS_METRIC " + json.dumps({"val_mse": round(vm["mse"], 5), "train_mse": round(tm["mse"], 5), "target_var": 1.0,
                                      "val_mae_mpa": round(vm["mae"] * s_sd, 3)}))
