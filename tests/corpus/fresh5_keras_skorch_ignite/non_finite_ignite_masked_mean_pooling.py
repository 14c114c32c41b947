"""pytorch-ignite: session classifier over padded event sequences with masked mean pooling.

Each user session is a padded sequence of event embeddings (length 0-20); a GRU encodes it and
the outputs are mean-pooled over the valid positions. About 3% of sessions are empty (length 0).
Planted: the pooling divides by `mask.sum(1)` without clamping, so an empty session gives 0/0 =
NaN; the first batch that contains one poisons the loss, the gradients and then every weight.
--control divides by `mask.sum(1).clamp(min=1)`.
"""
# expect: non_finite
# allow: non_convergence, exploding_gradients
# forbid: *
# evidence: control (clamped) val_acc 0.947, val_loss 0.094; planted: train loss is NaN from the first logged iteration (10) on, val_loss NaN, val_acc 0.47 (chance 0.5: NaN logits argmax to class 0)
# control: --control
# native-log: train_log.jsonl
# log-expect: non_finite
# log-allow: non_convergence
import os
import sys
import json
import math
import tempfile

import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

torch.set_num_threads(1)
torch.manual_seed(4)
from ignite.engine import Engine, Events
from ignite.metrics import Accuracy, Loss

CONTROL = "--control" in sys.argv
LOG_DIR = os.environ.get("CORPUS_LOG_DIR") or tempfile.mkdtemp()
os.makedirs(LOG_DIR, exist_ok=True)
T, E = 20, 8


class Sessions(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.len = torch.randint(1, T + 1, (n,), generator=g)
        self.len[torch.rand(n, generator=g) < 0.03] = 0  # empty sessions exist in the logs
        self.y = torch.randint(0, 2, (n,), generator=g)
        x = torch.randn(n, T, E, generator=g)
        x[:, :, 0] += (self.y.float() * 2 - 1)[:, None] * 0.8  # bot sessions drift on feature 0
        x[:, :, 1] += torch.linspace(-1, 1, T)[None] * (self.y.float()[:, None] * 1.5)
        pad = torch.arange(T)[None, :] >= self.len[:, None]
        x[pad] = 0.0
        self.x = x

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i], self.len[i], self.y[i]


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(E, 32, batch_first=True)
        self.cls = nn.Linear(32, 2)

    def forward(self, x, lengths):
        out, _ = self.gru(x)
        mask = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).float()
        denom = mask.sum(1, keepdim=True)
        if CONTROL:
            denom = denom.clamp(min=1.0)
        pooled = (out * mask[..., None]).sum(1) / denom
        return self.cls(pooled)


train_loader = DataLoader(Sessions(2400, 0), batch_size=32, shuffle=True, generator=torch.Generator().manual_seed(1))
val_loader = DataLoader(Sessions(600, 99), batch_size=300)
model = Encoder()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
crit = nn.CrossEntropyLoss()


def train_step(engine, batch):
    model.train()
    x, lengths, y = batch
    opt.zero_grad()
    loss = crit(model(x, lengths), y)
    loss.backward()
    opt.step()
    return loss.item()


def eval_step(engine, batch):
    model.eval()
    with torch.no_grad():
        x, lengths, y = batch
        return model(x, lengths), y


trainer = Engine(train_step)
evaluator = Engine(eval_step)
Accuracy().attach(evaluator, "acc")
Loss(crit).attach(evaluator, "loss")
logf = open(os.path.join(LOG_DIR, "train_log.jsonl"), "w")
first_nan = {}


@trainer.on(Events.ITERATION_COMPLETED(every=10))
def log_iter(engine):
    loss = engine.state.output
    if not math.isfinite(loss) and "iter" not in first_nan:
        first_nan["iter"] = engine.state.iteration
    logf.write(json.dumps({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
                           "train_loss": loss}) + "\n")


@trainer.on(Events.EPOCH_COMPLETED)
def validate(engine):
    evaluator.run(val_loader)
    m = evaluator.state.metrics
    logf.write(json.dumps({"iteration": engine.state.iteration, "epoch": engine.state.epoch,
                           "val_loss": m["loss"],
                           "val_acc": m["acc"]}) + "\n")
    print(f"epoch {engine.state.epoch}: train_loss {engine.state.output:.4f} val_loss {m['loss']:.4f} val_acc {m['acc']:.3f}")


trainer.run(train_loader, max_epochs=6)
logf.close()
m = evaluator.state.metrics
print("first non-finite logged loss at iteration:", first_nan.get("iter"))
print("CORPUS_METRIC " + json.dumps({"val_loss": round(m["loss"], 4), "val_acc": round(m["acc"], 4),
                                     "train_loss": round(trainer.state.output, 4), "chance_acc": 0.5}))
