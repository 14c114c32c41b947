# expect:
# allow:
# forbid: *
# evidence: healthy: val_mse 0.0084 vs target variance 0.636 (R^2 0.987), train_mse 0.0087; 8 epochs cosine lr
# native-log: ignite_log.csv
# log-expect:
# log-allow:
"""Healthy: pytorch-ignite supervised trainer, 1-layer GRU(32) regressing a leaky-integrated drive signal
from a noisy 30-step sequence; Adam 3e-3 with an ignite LR scheduler (cosine), CSV log written by event handlers."""
import os, sys, json, csv, tempfile, warnings
warnings.filterwarnings("ignore")
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import MeanSquaredError, Loss

torch.set_num_threads(1); torch.manual_seed(0)
CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
T = 30


def make(n, rng):
    # noisy sensor sequence; target = exponentially-weighted average of a hidden drive signal
    u = rng.normal(size=(n, T, 1)).astype(np.float32)
    s = np.zeros(n, np.float32)
    for t in range(T):
        s = 0.8 * s + 0.5 * u[:, t, 0]
    x = u + 0.1 * rng.normal(size=u.shape).astype(np.float32)
    return torch.tensor(x), torch.tensor(s[:, None])


rng = np.random.default_rng(0)
Xtr, ytr = make(2000, rng); Xva, yva = make(500, rng)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(1, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


model = Net()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
from ignite.handlers import CosineAnnealingScheduler
trainer = create_supervised_trainer(model, opt, nn.MSELoss())
evaluator = create_supervised_evaluator(model, metrics={"mse": MeanSquaredError()})
tr_loader = DataLoader(TensorDataset(Xtr, ytr), batch_size=32, shuffle=True)
va_loader = DataLoader(TensorDataset(Xva, yva), batch_size=500)
log_f = open(os.path.join(LOG_DIR, "ignite_log.csv"), "w", newline="")
w = csv.writer(log_f); w.writerow(["epoch", "iteration", "train_loss", "val_loss", "lr"])


@trainer.on(Events.ITERATION_COMPLETED(every=10))
def log_iter(engine):
    w.writerow([engine.state.epoch, engine.state.iteration, engine.state.output, "", opt.param_groups[0]["lr"]])


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    evaluator.run(va_loader)
    w.writerow([engine.state.epoch, engine.state.iteration, "", evaluator.state.metrics["mse"], opt.param_groups[0]["lr"]])
    log_f.flush()


trainer.add_event_handler(Events.ITERATION_STARTED, CosineAnnealingScheduler(opt, "lr", 3e-3, 1e-4, cycle_size=8 * 63))
trainer.run(tr_loader, max_epochs=8)
log_f.close()
model.eval()
with torch.no_grad():
    gv = float(((model(Xva) - yva) ** 2).mean()); gt = float(((model(Xtr) - ytr) ** 2).mean())
print("CORPUS_METRIC " + json.dumps({"val_mse": round(gv, 4), "train_mse": round(gt, 4), "target_var": round(float(yva.var()), 4)}))
