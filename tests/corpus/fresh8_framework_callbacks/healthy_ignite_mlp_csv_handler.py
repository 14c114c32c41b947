# expect:
# allow:
# forbid: *
# evidence: healthy; val_acc 0.979 (chance 0.125), val_loss 0.069, train_loss 0.035
# native-log: ignite_metrics.csv
# log-expect:
# log-allow:
# PyTorch Ignite: create_supervised_trainer / evaluator, an event handler that appends one CSV
# row per epoch (train loss/acc, val loss/acc, lr), an LRScheduler handler (step decay) and
# ignite's EarlyStopping handler. The CSV written by the handler is the native log.
import os, csv, json, tempfile, logging
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from ignite.engine import Events, create_supervised_trainer, create_supervised_evaluator
from ignite.metrics import Accuracy, Loss
from ignite.handlers import EarlyStopping, LRScheduler
from ignite.utils import manual_seed

torch.set_num_threads(1)
manual_seed(21)
log_dir = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp(); os.makedirs(log_dir, exist_ok=True)
csv_path = os.path.join(log_dir, "ignite_metrics.csv")

g = torch.Generator().manual_seed(21)
proto = torch.randn(8, 24, generator=g)
def digits_like(n):
    y = torch.randint(0, 8, (n,), generator=g)
    x = proto[y] * (0.5 + torch.rand(n, 1, generator=g)) + 0.9 * torch.randn(n, 24, generator=g)
    return x, y
xtr, ytr = digits_like(4000); xva, yva = digits_like(1000)
train_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
val_loader = DataLoader(TensorDataset(xva, yva), batch_size=500)
train_eval_loader = DataLoader(TensorDataset(xtr, ytr), batch_size=1000)

model = nn.Sequential(nn.Linear(24, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 8))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
crit = nn.CrossEntropyLoss()
trainer = create_supervised_trainer(model, opt, crit)
metrics = {"acc": Accuracy(), "loss": Loss(crit)}
val_eval = create_supervised_evaluator(model, metrics=metrics)
tr_eval = create_supervised_evaluator(model, metrics=metrics)
trainer.add_event_handler(Events.EPOCH_COMPLETED, LRScheduler(torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.3)))

with open(csv_path, "w", newline="") as f:
    csv.writer(f).writerow(["epoch", "iteration", "train_loss", "train_acc", "val_loss", "val_acc", "lr"])

@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    tr_eval.run(train_eval_loader); val_eval.run(val_loader)
    t, v = tr_eval.state.metrics, val_eval.state.metrics
    with open(csv_path, "a", newline="") as f:
        csv.writer(f).writerow([engine.state.epoch, engine.state.iteration, t["loss"], t["acc"], v["loss"], v["acc"], opt.param_groups[0]["lr"]])

es = EarlyStopping(patience=4, score_function=lambda e: -e.state.metrics["loss"], trainer=trainer)
val_eval.add_event_handler(Events.COMPLETED, es)
logging.getLogger("ignite.handlers.early_stopping.EarlyStopping").setLevel(logging.ERROR)
trainer.run(train_loader, max_epochs=18)
print("CORPUS_METRIC " + json.dumps({"val_loss": round(val_eval.state.metrics["loss"], 4), "val_acc": round(val_eval.state.metrics["acc"], 4),
                                     "train_loss": round(tr_eval.state.metrics["loss"], 4), "chance_acc": 0.125}))
