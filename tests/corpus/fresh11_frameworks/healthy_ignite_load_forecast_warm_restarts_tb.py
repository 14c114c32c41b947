"""Healthy look-alike: PyTorch-Ignite hourly electricity-load forecaster with SGD warm restarts.

40 synthetic substations (daily + weekly cycles, slow trend, noise; loads from 2 to 90 MW).
From the last 48 h the model predicts the next 12 h. Windows are normalised per window
(minus the window mean, divided by the series' typical scale) and predictions are mapped back
to MW. MLP, SGD + Nesterov, torch CosineAnnealingWarmRestarts stepped per iteration (T_0 = 2
epochs, T_mult = 2): the lr jumps back up at each restart and the train loss bumps a little --
the schedule, not instability. create_supervised_trainer/evaluator, ignite's TensorboardLogger.
"""
# expect:
# allow:
# forbid: *
# evidence: val MSE 16.0 MW^2 vs seasonal-naive (same hour yesterday) 24.7 and window-mean 125 MW^2; normalised val_loss 0.0046 ~ train 0.0049; loss bumps only at lr restarts
# native-log: tb
# log-expect:
# log-allow:
import os, sys, json, math, random, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
torch.set_num_threads(1)
random.seed(14); np.random.seed(14); torch.manual_seed(14)
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Loss, MeanSquaredError
from ignite.handlers import LRScheduler
from ignite.handlers.tensorboard_logger import TensorboardLogger, OutputHandler, OptimizerParamsHandler

LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(prefix="f11_load_")
os.makedirs(LOG_DIR, exist_ok=True)

rng = np.random.default_rng(14)
S, T, IN, OUT = 40, 24 * 7 * 10, 48, 12
t = np.arange(T)
scale = rng.uniform(2, 90, S)[:, None]
daily = np.sin(2 * np.pi * (t[None] % 24) / 24 - rng.uniform(1.5, 2.2, S)[:, None]) * 0.25
weekly = np.where((t[None] // 24) % 7 >= 5, -0.12, 0.0)
trend = 0.05 * np.sin(2 * np.pi * t[None] / (T * rng.uniform(0.8, 2.0, S)[:, None]))
noise = np.zeros((S, T)); e = rng.normal(0, 0.03, (S, T))
for i in range(1, T):
    noise[:, i] = 0.7 * noise[:, i - 1] + e[:, i]
load = scale * (1 + daily + weekly + trend + noise)


def windows(lo, hi, stride):
    xs, ys, sc = [], [], []
    for s in range(S):
        for a in range(lo, hi - IN - OUT, stride):
            w = load[s, a:a + IN + OUT]
            xs.append(w[:IN]); ys.append(w[IN:]); sc.append(scale[s, 0])
    return np.array(xs), np.array(ys), np.array(sc)


cut = int(T * 0.8)
Xtr_raw, Ytr_raw, str_ = windows(0, cut, 5)
Xva_raw, Yva_raw, sva = windows(cut, T, 7)


def norm(x, y, s):
    mu = x.mean(1, keepdims=True)
    return (torch.tensor((x - mu) / s[:, None], dtype=torch.float32), torch.tensor((y - mu) / s[:, None], dtype=torch.float32), mu)


Xtr, Ytr, _ = norm(Xtr_raw, Ytr_raw, str_)
Xva, Yva, mu_va = norm(Xva_raw, Yva_raw, sva)
train_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xtr, Ytr), batch_size=64, shuffle=True)
val_dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(Xva, Yva), batch_size=512)

model = nn.Sequential(nn.Linear(IN, 128), nn.GELU(), nn.Linear(128, 128), nn.GELU(), nn.Linear(128, OUT))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
loss_fn = nn.MSELoss()
trainer = create_supervised_trainer(model, opt, loss_fn)
evaluator = create_supervised_evaluator(model, metrics={"loss": Loss(loss_fn), "mse": MeanSquaredError()})
train_eval = create_supervised_evaluator(model, metrics={"loss": Loss(loss_fn)})
spe = len(train_dl)
trainer.add_event_handler(Events.ITERATION_COMPLETED, LRScheduler(
    torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2 * spe, T_mult=2, eta_min=1e-4)))

tb = TensorboardLogger(log_dir=os.path.join(LOG_DIR, "tb"))
tb.attach(trainer, OutputHandler(tag="training", output_transform=lambda loss: {"batch_loss": loss}), Events.ITERATION_COMPLETED(every=10))
tb.attach(trainer, OptimizerParamsHandler(opt), Events.ITERATION_STARTED(every=10))
tb.attach(evaluator, OutputHandler(tag="validation", metric_names=["loss"], global_step_transform=lambda *_: trainer.state.iteration), Events.COMPLETED)
tb.attach(train_eval, OutputHandler(tag="train", metric_names=["loss"], global_step_transform=lambda *_: trainer.state.iteration), Events.COMPLETED)


@trainer.on(Events.EPOCH_COMPLETED)
def run_eval(engine):
    evaluator.run(val_dl); train_eval.run(train_dl)
    print(f"epoch {engine.state.epoch} lr {opt.param_groups[0]['lr']:.4f} train {train_eval.state.metrics['loss']:.4f} val {evaluator.state.metrics['loss']:.4f}")


trainer.run(train_dl, max_epochs=14)
tb.close()

with torch.no_grad():
    pred = model(Xva).numpy() * sva[:, None] + mu_va
mse_mw = float(np.mean((pred - Yva_raw) ** 2))
naive = float(np.mean((Xva_raw[:, IN - 24:IN - 24 + OUT] - Yva_raw) ** 2))
mean_base = float(np.mean((Xva_raw.mean(1, keepdims=True) - Yva_raw) ** 2))
print("CORPUS_METRIC " + json.dumps({"val_mse_mw2": round(mse_mw, 4), "seasonal_naive_mse_mw2": round(naive, 4),
                                     "window_mean_mse_mw2": round(mean_base, 4), "val_loss": round(evaluator.state.metrics["loss"], 5),
                                     "train_loss": round(train_eval.state.metrics["loss"], 5)}))
