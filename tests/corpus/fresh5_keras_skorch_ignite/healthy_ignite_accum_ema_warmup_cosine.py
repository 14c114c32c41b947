"""pytorch-ignite: custom process_function with gradient accumulation and an EMA of the weights.

Tabular binary classification (fraud-like, 12 features, balanced). Micro-batches of 32 are
accumulated 4x before each AdamW step; the lr follows a linear warm-up then cosine annealing
(ignite.handlers.create_lr_scheduler_with_warmup + CosineAnnealingScheduler); an EMAHandler keeps
a moving average of the weights which is what gets evaluated. Metrics go to CSV.
"""
# expect:
# allow:
# forbid: *
# evidence: held-out (EMA model) val_acc 0.93, val_loss 0.171 (majority 0.556; Bayes ~0.95 given the label noise); train_loss 0.171, val_loss falls every epoch to the end of the cosine schedule
# native-log: metrics.csv
# log-expect:
# log-allow:
import os
import sys
import csv
import json
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(2)
from ignite.engine import Engine, Events
from ignite.handlers import CosineAnnealingScheduler, create_lr_scheduler_with_warmup, EMAHandler
from ignite.metrics import Accuracy, Loss

LOG = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG, exist_ok=True)
ACCUM, MICRO, EPOCHS = 4, 32, 12


class Transactions(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.x = torch.randn(n, 12, generator=g)
        w = torch.linspace(-1, 1, 12)
        s = self.x @ w / 2 + torch.sin(2 * self.x[:, 0]) + self.x[:, 1] * self.x[:, 2] - 0.5 * self.x[:, 3].abs()
        self.y = ((s + 0.25 * torch.randn(n, generator=g)) > -0.3).float()

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


train_ds, val_ds = Transactions(8000, 0), Transactions(1000, 1)
train_loader = DataLoader(train_ds, batch_size=MICRO, shuffle=True, generator=torch.Generator().manual_seed(3))
val_loader = DataLoader(val_ds, batch_size=400)
print("positive rate train/val:", round(train_ds.y.mean().item(), 3), round(val_ds.y.mean().item(), 3))


class Scorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 128), nn.GELU(), nn.Dropout(0.1), nn.Linear(128, 64), nn.GELU(), nn.Linear(64, 1))

    def forward(self, x):
        return self.net(x).squeeze(-1)


model = Scorer()
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)


def process(engine, batch):
    model.train()
    x, y = batch
    loss = F.binary_cross_entropy_with_logits(model(x), y) / ACCUM
    loss.backward()
    if engine.state.iteration % ACCUM == 0:
        opt.step()
        opt.zero_grad()
    return loss.item() * ACCUM


trainer = Engine(process)
ema = EMAHandler(model, momentum=0.05)
ema.attach(trainer, name="ema_momentum", event=Events.ITERATION_COMPLETED(every=ACCUM))
total_iters = EPOCHS * len(train_loader)
cosine = CosineAnnealingScheduler(opt, "lr", start_value=3e-3, end_value=2e-5, cycle_size=total_iters)
sched = create_lr_scheduler_with_warmup(cosine, warmup_start_value=1e-5, warmup_duration=100)
trainer.add_event_handler(Events.ITERATION_STARTED, sched)


def eval_step(engine, batch):
    ema.ema_model.eval()
    with torch.no_grad():
        x, y = batch
        logit = ema.ema_model(x)
        return torch.stack([-logit, logit], 1) / 2, y.long()


evaluator = Engine(eval_step)
Accuracy().attach(evaluator, "acc")
Loss(nn.CrossEntropyLoss()).attach(evaluator, "loss")  # 2-logit softmax == sigmoid on the logit
running = {"sum": 0.0, "n": 0}


@trainer.on(Events.ITERATION_COMPLETED)
def accumulate(engine):
    running["sum"] += engine.state.output
    running["n"] += 1


f = open(os.path.join(LOG, "metrics.csv"), "w", newline="")
w = csv.writer(f)
w.writerow(["epoch", "iteration", "lr", "train_loss", "val_loss", "val_acc"])


@trainer.on(Events.EPOCH_COMPLETED)
def log_epoch(engine):
    evaluator.run(val_loader)
    tl = running["sum"] / running["n"]
    running.update(sum=0.0, n=0)
    m = evaluator.state.metrics
    w.writerow([engine.state.epoch, engine.state.iteration, opt.param_groups[0]["lr"], round(tl, 5), round(m["loss"], 5), round(m["acc"], 4)])
    print(f"epoch {engine.state.epoch} lr {opt.param_groups[0]['lr']:.2e} train_loss {tl:.4f} val_loss {m['loss']:.4f} val_acc {m['acc']:.3f}")
    engine.state.last_train_loss = tl


trainer.run(train_loader, max_epochs=EPOCHS)
f.close()
m = evaluator.state.metrics
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                     "train_loss": round(trainer.state.last_train_loss, 4),
                                     "chance_acc": round(max(val_ds.y.mean().item(), 1 - val_ds.y.mean().item()), 4)}))
